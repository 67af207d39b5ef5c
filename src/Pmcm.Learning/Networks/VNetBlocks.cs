using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// The V-Net building blocks of docs/method.md §1. Each block keeps its layers in a Sequential named
/// <c>conv</c>, indexed like the reference (Conv3d, BatchNorm3d, ReLU, ...), so parameter names match
/// the authors' state_dict keys (e.g. <c>block_six.conv.3.weight</c>). Every layer computes in its input's dtype
/// (<see cref="MixedPrecisionConv3d"/>; BatchNorm takes bfloat16 input with float32 statistics).
/// </summary>
public static class VNetBlocks
{
    /// <summary><paramref name="stages"/> × (Conv3d 3×3×3 → BatchNorm3d → ReLU).</summary>
    public static Sequential ConvStages(int stages, int inChannels, int outChannels)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i < stages; i++)
        {
            layers.Add(new MixedPrecisionConv3d(i == 0 ? inChannels : outChannels, outChannels, kernelSize: 3, padding: 1));
            layers.Add(nn.BatchNorm3d(outChannels));
            layers.Add(nn.ReLU(inplace: true));
        }
        return nn.Sequential(layers);
    }

    /// <summary>Conv3d kernel 2 stride 2 → BatchNorm3d → ReLU: halves every side.</summary>
    public static Sequential Down(int inChannels, int outChannels) => nn.Sequential(
        new MixedPrecisionConv3d(inChannels, outChannels, kernelSize: 2, stride: 2),
        nn.BatchNorm3d(outChannels),
        nn.ReLU(inplace: true));

    /// <summary>Doubles every side: transposed convolution (decoder 1), or nearest or trilinear ×2 then Conv3d.</summary>
    public static Sequential Up(int inChannels, int outChannels, Upsampling mode) => mode switch
    {
        Upsampling.TransposedConvolution => nn.Sequential(
            new TransposedConv3d(inChannels, outChannels),
            nn.BatchNorm3d(outChannels),
            nn.ReLU(inplace: true)),
        Upsampling.NearestThenConvolution => nn.Sequential(
            nn.Upsample(scale_factor: [2.0, 2.0, 2.0], mode: UpsampleMode.Nearest),
            new MixedPrecisionConv3d(inChannels, outChannels, kernelSize: 3, padding: 1),
            nn.BatchNorm3d(outChannels),
            nn.ReLU(inplace: true)),
        Upsampling.TrilinearThenConvolution => nn.Sequential(
            nn.Upsample(scale_factor: [2.0, 2.0, 2.0], mode: UpsampleMode.Trilinear, align_corners: true),
            new MixedPrecisionConv3d(inChannels, outChannels, kernelSize: 3, padding: 1),
            nn.BatchNorm3d(outChannels),
            nn.ReLU(inplace: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}

/// <summary>How a decoder doubles its resolution; the two PMCM decoders differ only in this (MC-Net's second decoder is trilinear).</summary>
public enum Upsampling
{
    TransposedConvolution,
    NearestThenConvolution,
    TrilinearThenConvolution,
}

/// <summary>A block whose layers live in a Sequential called <c>conv</c> (the reference's naming).</summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;

    public ConvBlock(Sequential layers) : base(nameof(ConvBlock))
    {
        conv = layers;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => conv.forward(input);
}
