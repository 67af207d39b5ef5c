using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>
/// docs/method.md §2, one decoder's term of L_sdf: mean((tanh(sdf_k[:Bl, 1]) − g)²). Only channel 1 of the SDF
/// head is supervised, against the normalised signed distance g of the label.
/// </summary>
public static class SdfLoss
{
    /// <param name="sdfLogits">sdf_k[:Bl]: raw SDF-head output of the labeled samples, (Bl, C, X, Y, Z).</param>
    /// <param name="target">g: (Bl, X, Y, Z).</param>
    public static Tensor Compute(Tensor sdfLogits, Tensor target) =>
        (sdfLogits.select(1, 1).tanh() - target).square().mean();
}
