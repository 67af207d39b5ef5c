using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>
/// The reference's <c>kl_loss</c>: PyTorch <c>KLDivLoss(log(q + 1e-8), a)</c> with reduction none, i.e.
/// a·(log a − log(q + 1e-8)) per element, with 0·log 0 = 0. Callers take the mean.
/// </summary>
public static class KlDivergence
{
    public const double Epsilon = 1e-8;

    public static Tensor Elementwise(Tensor a, Tensor q) => xlogy(a, a) - a * (q + Epsilon).log();
}
