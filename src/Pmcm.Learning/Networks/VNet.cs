using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// The supervised baseline: the V-Net encoder with decoder 1 only (transposed convolutions, no SDF head), the
/// field's "V-Net" row. Keys <c>encoder.…</c> and <c>decoder1.…</c> as in PMCM, so its weights line up.
/// </summary>
public sealed class VNet : SegmentationNet
{
    private readonly Encoder encoder;
    private readonly Decoder decoder1;

    public VNet(NetworkOptions options) : base(nameof(VNet))
    {
        Options = options;
        encoder = new Encoder(options.InChannels, options.NFilters, options.DropoutRate);
        decoder1 = new Decoder(options.NFilters, options.Classes, Upsampling.TransposedConvolution, options.DropoutRate, withSdfHead: false);
        RegisterComponents();
    }

    public override NetworkOptions Options { get; }

    public override SegmentationOutputs forward(Tensor input) => new(decoder1.forward(encoder.forward(ToComputeType(input))), null);

    public override Tensor SegmentationLogits(Tensor input) => decoder1.Segmentation(encoder.forward(ToComputeType(input)));
}
