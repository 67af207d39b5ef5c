using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// MC-Net (Wu et al., MICCAI 2021, <c>mcnet3d_v1</c>): the V-Net encoder shared by a transposed-convolution
/// decoder and a trilinear-upsampling decoder, segmentation heads only.
/// </summary>
public sealed class McNet : SegmentationNet
{
    private readonly Encoder encoder;
    private readonly Decoder decoder1, decoder2;

    public McNet(NetworkOptions options) : base(nameof(McNet))
    {
        Options = options;
        encoder = new Encoder(options.InChannels, options.NFilters, options.DropoutRate);
        decoder1 = new Decoder(options.NFilters, options.Classes, Upsampling.TransposedConvolution, options.DropoutRate, withSdfHead: false);
        decoder2 = new Decoder(options.NFilters, options.Classes, Upsampling.TrilinearThenConvolution, options.DropoutRate, withSdfHead: false);
        RegisterComponents();
    }

    public override NetworkOptions Options { get; }

    public override SegmentationOutputs forward(Tensor input)
    {
        var features = encoder.forward(ToComputeType(input));
        return new SegmentationOutputs(decoder1.forward(features), decoder2.forward(features));
    }

    public override Tensor SegmentationLogits(Tensor input) => decoder1.Segmentation(encoder.forward(ToComputeType(input)));
}
