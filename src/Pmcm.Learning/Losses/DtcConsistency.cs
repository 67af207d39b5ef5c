using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>
/// The Pancreas DTC-style term of docs/method.md §5, one decoder: mean((sigmoid(−1500·d) − p)²) over every
/// channel and the whole batch, turning the SDF estimate d into a soft mask.
/// </summary>
public static class DtcConsistency
{
    public const double Sharpness = 1500;

    public static Tensor Compute(Tensor probs, Tensor sdf) => ((-Sharpness * sdf).sigmoid() - probs).square().mean();
}
