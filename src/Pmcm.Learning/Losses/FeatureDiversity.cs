using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pmcm.Learning.Losses;

/// <summary>
/// ALGORITHM.md §5: L_div = ½ Σ_k mean_v(1 + cos(feat_k, sg(feat_k'))). Minimising it keeps the two
/// decoders' features apart, which mutual learning needs.
/// </summary>
public static class FeatureDiversity
{
    public const double CosineEpsilon = 1e-8;

    public static Tensor Compute(Tensor features1, Tensor features2)
    {
        var first = 1 + F.cosine_similarity(features1, features2.detach(), dim: 1, eps: CosineEpsilon).mean();
        var second = 1 + F.cosine_similarity(features2, features1.detach(), dim: 1, eps: CosineEpsilon).mean();
        return (first + second) / 2;
    }
}
