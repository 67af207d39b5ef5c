using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>The decoders' outputs for one batch (decoder 1 = transposed convolution); Decoder2 is null for a single-decoder V-Net.</summary>
public sealed record PmcmOutputs(DecoderOutput Decoder1, DecoderOutput? Decoder2)
{
    /// <summary>Both decoders, for losses that need two.</summary>
    public DecoderOutput[] Both() => [Decoder1, Decoder2 ?? throw new InvalidOperationException("this network has a single decoder")];
}

/// <summary>
/// The reference's <c>mine3d_v1</c>: a V-Net encoder shared by two decoders that differ in upsampling.
/// Parameter names equal the authors' state_dict keys (<c>encoder.…</c>, <c>decoder1.…</c>, <c>decoder2.…</c>).
/// In evaluation the prediction is decoder 1's segmentation.
/// </summary>
public sealed class PmcmNet : SegmentationNet
{
    private readonly Encoder encoder;
    private readonly Decoder decoder1, decoder2;

    public PmcmNet(PmcmNetOptions options) : base(nameof(PmcmNet))
    {
        Options = options;
        encoder = new Encoder(options.InChannels, options.NFilters, options.DropoutRate);
        decoder1 = new Decoder(options.NFilters, options.Classes, Upsampling.TransposedConvolution, options.DropoutRate);
        decoder2 = new Decoder(options.NFilters, options.Classes, Upsampling.NearestThenConvolution, options.DropoutRate);
        RegisterComponents();
    }

    public override PmcmNetOptions Options { get; }

    public override PmcmOutputs forward(Tensor input)
    {
        var features = encoder.forward(ToComputeType(input));
        return new PmcmOutputs(decoder1.forward(features), decoder2.forward(features));
    }
}
