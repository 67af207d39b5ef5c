using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>
/// docs/method.md §5: L_div = ½ Σ_k mean_v(1 + cos(feat_k, sg(feat_k'))). Minimising it keeps the two
/// decoders' features apart, which mutual learning needs.
/// </summary>
public static class FeatureDiversity
{
    public const double CosineEpsilon = 1e-8;

    /// <remarks>
    /// Both terms have the same value, and the gradient of ½[cos(f₁, sg f₂) + cos(sg f₁, f₂)] is half the gradient
    /// of cos(f₁, f₂) with respect to both; so one cosine map, half of it detached, gives the value and the
    /// gradients of the two terms at the cost of one.
    /// </remarks>
    public static Tensor Compute(Tensor features1, Tensor features2) => FromMeanCosine(Cosine(features1, features2).mean());

    /// <summary>L_div from mean_v cos(feat_1, feat_2), however that mean was computed (composed or fused).</summary>
    public static Tensor FromMeanCosine(Tensor meanCosine) => 1 + 0.5 * meanCosine + 0.5 * meanCosine.detach();

    /// <summary>cos along the channel axis: x·y / sqrt(max(|x|²|y|², ε²)), as PyTorch's cosine_similarity.</summary>
    public static Tensor Cosine(Tensor x, Tensor y)
    {
        var dot = (x * y).sum(1);
        var norms = (x.square().sum(1) * y.square().sum(1)).clamp_min(CosineEpsilon * CosineEpsilon).sqrt();
        return dot / norms;
    }
}
