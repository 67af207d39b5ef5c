using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>
/// docs/method.md §2, one decoder's term of L_dice: 1 − (2 Σ p·y + ε) / (Σ p + Σ y + ε), summed over the whole
/// labeled part of the batch at once (not per sample), ε = 1e-8.
/// </summary>
public static class SupervisedDiceLoss
{
    public const double Epsilon = 1e-8;

    /// <param name="foreground">p_k[:Bl, 1]: foreground probability of the labeled samples.</param>
    /// <param name="label">y: the labels of those samples (0/1, any numeric type).</param>
    public static Tensor Compute(Tensor foreground, Tensor label)
    {
        var y = label.to_type(foreground.dtype);
        var intersection = 2 * (foreground * y).sum() + Epsilon;
        var union = foreground.sum() + y.sum() + Epsilon;
        return 1 - intersection / union;
    }
}
