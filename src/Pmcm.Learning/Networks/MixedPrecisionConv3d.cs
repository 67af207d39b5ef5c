using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// Conv3d with PyTorch's parameters, initialisation and names (<c>weight</c> (out, in, k, k, k), <c>bias</c>) that
/// computes in its input's dtype: the float32 weights are cast per call, so a bfloat16 input runs a bfloat16
/// convolution while autograd carries the gradient back to the float32 master weights. With a float32 input the
/// casts are no-ops and it is exactly <c>nn.Conv3d</c>.
/// </summary>
public sealed class MixedPrecisionConv3d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long stride;
    private readonly long padding;

    public MixedPrecisionConv3d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0) : base(nameof(MixedPrecisionConv3d))
    {
        // Built through nn.Conv3d so the initialisation draws the same random numbers as before.
        using var initialised = nn.Conv3d(inChannels, outChannels, kernel_size: kernelSize, stride: stride, padding: padding);
        weight = new Parameter(initialised.weight!.detach().clone());
        bias = new Parameter(initialised.bias!.detach().clone());
        this.stride = stride;
        this.padding = padding;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // See Convolve: a bf16 input whose first spatial side is at most 2 is convolved in float32.
        if (input.dtype == ScalarType.BFloat16 && input.shape[2] <= 2)
            return Convolve(input.to_type(ScalarType.Float32)).to_type(ScalarType.BFloat16);
        return Convolve(input);
    }

    // libtorch 2.10's bf16 weight gradient of a 3×3×3 convolution comes out wrong (relative error ≈ 1, sometimes
    // ±10³⁶) when the input's first spatial side is 2, while the output and input gradient stay right; such inputs
    // only occur at the deepest levels of small patches, where float32 costs next to nothing, so they run in it.
    private Tensor Convolve(Tensor input) => nn.functional.conv3d(input, weight.to_type(input.dtype), bias.to_type(input.dtype),
        strides: [stride, stride, stride], padding: [padding, padding, padding]);
}
