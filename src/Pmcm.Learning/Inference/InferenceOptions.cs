using Pmcm.Core.Inference;

namespace Pmcm.Learning.Inference;

/// <summary>
/// How a trained network segments a whole volume. The defaults are the reference's: decoder 1's
/// foreground probability, uniformly averaged windows, &gt; 0.5, no post-processing.
/// <see cref="FlipTta"/>: also run each window mirrored along X, Y and Z and average the four predictions.
/// <see cref="BothDecoders"/>: average decoder 1's and decoder 2's probabilities.
/// <see cref="LargestComponent"/>: keep only the largest 26-connected foreground component.
/// <see cref="Precision"/>: what the network's convolutions compute in (the probabilities are float32 in both).
/// </summary>
public sealed record InferenceOptions(
    SlidingWindowOptions Window,
    bool FlipTta = false,
    bool BothDecoders = false,
    bool LargestComponent = false,
    Precision Precision = Precision.Fp32)
{
    /// <summary>The class whose softmax probability is the foreground (binary segmentation: class 1).</summary>
    public const int ForegroundClass = 1;
}
