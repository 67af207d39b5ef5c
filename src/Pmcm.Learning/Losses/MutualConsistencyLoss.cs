using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>
/// MC-Net's objective (Wu et al., MICCAI 2021): λ Σ_k Dice(p_k[:Bl, 1], y) + w(t) Σ_{i≠j} mean((p_i − sharpen(p_j))²),
/// with sharpen(p) = p^{1/T} / (p^{1/T} + (1 − p)^{1/T}), T = 0.1, λ = 0.5 and w(t) = rampup(t + 1) as in the authors'
/// code (which increments its counter first). As there, the sharpened pseudo labels are not detached.
/// </summary>
public static class MutualConsistencyLoss
{
    public const double Temperature = 0.1;
    public const double SupervisedWeight = 0.5;

    public static Tensor Sharpen(Tensor probs)
    {
        var a = probs.pow(1 / Temperature);
        return a / (a + (1 - probs).pow(1 / Temperature));
    }

    /// <returns>(total, Dice sum, consistency sum)</returns>
    public static (Tensor Total, Tensor Dice, Tensor Consistency) Compute(Tensor[] logits, Tensor label, int labeledCount, double consistencyWeight)
    {
        var probs = logits.Select(l => l.softmax(1)).ToArray();
        var dice = probs.Select(p => SupervisedDiceLoss.Compute(p[..labeledCount, 1], label[..labeledCount])).Aggregate((a, b) => a + b);
        var pseudo = probs.Select(Sharpen).ToArray();
        Tensor? consistency = null;
        for (var i = 0; i < probs.Length; i++)
            for (var j = 0; j < probs.Length; j++)
                if (i != j)
                {
                    var term = (probs[i] - pseudo[j]).square().mean();
                    consistency = consistency is null ? term : consistency + term;
                }
        return (SupervisedWeight * dice + consistencyWeight * consistency!, dice, consistency!);
    }
}
