using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Pmcm.Learning.Networks.VNetBlocks;

namespace Pmcm.Learning.Networks;

/// <summary>What one decoder produces: segmentation logits, raw SDF-head output (null without that head) and the features x9.</summary>
public sealed record DecoderOutput(Tensor Seg, Tensor? Sdf, Tensor Features);

/// <summary>
/// A V-Net decoder with a segmentation head (<c>out_conv</c>) and an SDF head (<c>bout_conv</c>) on the
/// same features x9 (docs/method.md §1). Skip connections are added, not concatenated. Whatever the precision of
/// the blocks, x9 is cast to the weights' dtype (float32), so the heads and everything downstream (the losses) compute in it.
/// </summary>
public sealed class Decoder : nn.Module<Tensor[], DecoderOutput>
{
    // Field names are the reference's state_dict names, so the authors' checkpoints load unchanged.
    private readonly ConvBlock block_five_up, block_six, block_six_up, block_seven, block_seven_up, block_eight, block_eight_up, block_nine;
    private readonly Conv3d out_conv;
    private readonly Conv3d? bout_conv;
    private readonly Dropout3d dropout;
    private readonly bool useDropout;

    public Decoder(int nFilters, int classes, Upsampling upsampling, double dropoutRate, bool withSdfHead = true) : base(nameof(Decoder))
    {
        var n = nFilters;
        block_five_up = new ConvBlock(Up(16 * n, 8 * n, upsampling));
        block_six = new ConvBlock(ConvStages(3, 8 * n, 8 * n));
        block_six_up = new ConvBlock(Up(8 * n, 4 * n, upsampling));
        block_seven = new ConvBlock(ConvStages(3, 4 * n, 4 * n));
        block_seven_up = new ConvBlock(Up(4 * n, 2 * n, upsampling));
        block_eight = new ConvBlock(ConvStages(2, 2 * n, 2 * n));
        block_eight_up = new ConvBlock(Up(2 * n, n, upsampling));
        block_nine = new ConvBlock(ConvStages(1, n, n));
        out_conv = nn.Conv3d(n, classes, kernel_size: 1, padding: 0L);
        bout_conv = withSdfHead ? nn.Conv3d(n, classes, kernel_size: 1, padding: 0L) : null;
        useDropout = dropoutRate > 0;
        dropout = nn.Dropout3d(useDropout ? dropoutRate : 0.5);
        RegisterComponents();

    }

    public override DecoderOutput forward(Tensor[] features)
    {
        var x9 = Features(features);
        return new DecoderOutput(out_conv.forward(x9), bout_conv?.forward(x9), x9);
    }

    /// <summary>The segmentation logits alone, equal to <see cref="forward"/>'s <c>Seg</c>: the SDF head is not run.</summary>
    public Tensor Segmentation(Tensor[] features) => out_conv.forward(Features(features));

    private Tensor Features(Tensor[] features)
    {
        var (x1, x2, x3, x4, x5) = (features[0], features[1], features[2], features[3], features[4]);
        var x6 = block_six.forward(block_five_up.forward(x5) + x4);
        var x7 = block_seven.forward(block_six_up.forward(x6) + x3);
        var x8 = block_eight.forward(block_seven_up.forward(x7) + x2);
        // Back to the weights' own dtype (float32, or float64 in the reference check).
        var x9 = block_nine.forward(block_eight_up.forward(x8) + x1).to_type(out_conv.weight!.dtype);
        return useDropout ? dropout.forward(x9) : x9;
    }
}
