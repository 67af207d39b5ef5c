using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// The reference's <c>mine3d_v1</c>: a V-Net encoder shared by two decoders that differ in upsampling.
/// Parameter names equal the authors' state_dict keys (<c>encoder.…</c>, <c>decoder1.…</c>, <c>decoder2.…</c>).
/// In evaluation the prediction is decoder 1's segmentation.
/// </summary>
public sealed class PmcmNet : SegmentationNet
{
    private readonly Encoder encoder;
    private readonly Decoder decoder1, decoder2;

    public PmcmNet(NetworkOptions options) : base(nameof(PmcmNet))
    {
        Options = options;
        encoder = new Encoder(options.InChannels, options.NFilters, options.DropoutRate);
        decoder1 = new Decoder(options.NFilters, options.Classes, Upsampling.TransposedConvolution, options.DropoutRate);
        decoder2 = new Decoder(options.NFilters, options.Classes, Upsampling.NearestThenConvolution, options.DropoutRate);
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
