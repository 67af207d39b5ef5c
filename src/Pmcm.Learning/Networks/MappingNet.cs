using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// One CML mapping network (docs/method.md §1/§4): Conv3d 1×1×1 C→8 → BatchNorm3d → ReLU → Conv3d 1×1×1 8→C,
/// translating segmentation probabilities into SDF logits or SDF values into segmentation logits.
/// Keys <c>map.0</c>, <c>map.1</c>, <c>map.3</c> as in the reference; Kaiming-normal conv weights, BN weight 1, bias 0.
/// </summary>
public sealed class MappingNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential map;
    // The same three layers, held in a tuple so that RegisterComponents does not register them twice.
    private readonly (Conv3d First, BatchNorm3d Norm, Conv3d Last) layers;

    public MappingNet(int classes, int hiddenChannels) : base(nameof(MappingNet))
    {
        var first = nn.Conv3d(classes, hiddenChannels, kernel_size: 1, padding: 0L);
        var norm = nn.BatchNorm3d(hiddenChannels);
        var last = nn.Conv3d(hiddenChannels, classes, kernel_size: 1, padding: 0L);
        layers = (first, norm, last);
        using (no_grad())
        {
            nn.init.kaiming_normal_(first.weight);
            nn.init.kaiming_normal_(last.weight);
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }
        map = nn.Sequential(first, norm, nn.ReLU(inplace: true), last);
        RegisterComponents();
    }

    /// <summary>
    /// false: every call is the libtorch composition (<see cref="ForwardComposed"/>), the reference implementation;
    /// true (default): CPU float32 inputs go through the fused C# kernels of <see cref="MappingNetFunction"/>.
    /// </summary>
    public bool Fused { get; init; } = true;

    public override Tensor forward(Tensor input) => Map(input, MappingActivation.None);

    /// <summary>act(M(x)) for x (B, C, X, Y, Z): fused when <see cref="Fused"/>, C = 2 and x and the parameters are CPU float32, else composed.</summary>
    public Tensor Map(Tensor input, MappingActivation activation)
    {
        var (first, norm, last) = layers;
        if (Fused && input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32 && input.shape[1] == MappingNetKernel.Channels
            && first.weight!.device_type == DeviceType.CPU && first.weight.dtype == ScalarType.Float32)
            return MappingNetFunction.Apply(input, first, norm, last, activation);
        var output = ForwardComposed(input);
        return activation switch
        {
            MappingActivation.Tanh => output.tanh(),
            MappingActivation.Softmax => output.softmax(1),
            _ => output,
        };
    }

    /// <summary>
    /// The libtorch composition. The 1×1×1 convolutions run as channel matrix products over the flattened voxels,
    /// which is about twice as fast on the CPU as the convolution kernels for so few channels; the BatchNorm is the module itself.
    /// </summary>
    public Tensor ForwardComposed(Tensor input)
    {
        var (first, norm, last) = layers;
        long[] shape = input.shape;
        var (batch, channels, hidden) = (shape[0], shape[1], first.weight!.shape[0]);
        var hiddenShape = (long[])shape.Clone();
        hiddenShape[1] = hidden;
        var h = first.weight.view(hidden, channels).matmul(input.reshape(batch, channels, -1)) + first.bias!.view(1, -1, 1);
        h = norm.forward(h.view(hiddenShape)).relu().view(batch, hidden, -1);
        var output = last.weight!.view(channels, hidden).matmul(h) + last.bias!.view(1, -1, 1);
        return output.view(shape);
    }
}
