namespace Pmcm.Learning.Networks;

/// <summary>The decoders' outputs for one batch (decoder 1 = transposed convolution); Decoder2 is null for a single-decoder V-Net.</summary>
public sealed record SegmentationOutputs(DecoderOutput Decoder1, DecoderOutput? Decoder2)
{
    /// <summary>Both decoders, for losses that need two.</summary>
    public DecoderOutput[] Both() => [Decoder1, Decoder2 ?? throw new InvalidOperationException("this network has a single decoder")];
}
