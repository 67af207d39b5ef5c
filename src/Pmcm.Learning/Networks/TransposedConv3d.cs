using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// ConvTranspose3d (kernel 2, stride 2) with PyTorch's parameters, initialisation and names (<c>weight</c>
/// (in, out, 2, 2, 2), <c>bias</c>), whose bias is added as a separate broadcast: its gradient is then reduced by
/// libtorch's cascaded sum instead of inside the convolution kernel. The bias feeds a BatchNorm, so its true
/// gradient is zero and only rounding noise remains; the cascaded sum keeps that noise at the reference's level.
/// Like <see cref="MixedPrecisionConv3d"/> it computes in its input's dtype.
/// </summary>
public sealed class TransposedConv3d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public TransposedConv3d(int inChannels, int outChannels) : base(nameof(TransposedConv3d))
    {
        using var initialised = nn.ConvTranspose3d(inChannels, outChannels, kernel_size: 2, stride: 2);
        weight = new Parameter(initialised.weight!.detach().clone());
        bias = new Parameter(initialised.bias!.detach().clone());
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv_transpose3d(input, weight.to_type(input.dtype), null, strides: [2, 2, 2]) + bias.to_type(input.dtype).view(1, -1, 1, 1, 1);
}
