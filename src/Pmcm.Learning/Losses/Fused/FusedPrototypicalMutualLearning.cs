using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Losses.Fused;

/// <summary>
/// docs/method.md §3 for both pairs with the voxel work in fused kernels: each decoder's entropy, hard prediction and
/// class prototypes come from <see cref="FusedDecoderFeatures"/> (one pass over both feature maps, shared with the
/// diversity term), and each pair's mask, prototype map, reliability and weighted cross-entropy take one more pass
/// over the teacher's features (<see cref="FusedMutualCrossEntropy"/>). The prototype algebra between them (step 3's
/// Pl, Pu and Q, and UAL of step 7) is C × F numbers and stays the autograd composition of
/// <see cref="PrototypicalMutualLearning"/>, so UAL's gradient reaches the teacher's features through the prototypes.
/// </summary>
public static class FusedPrototypicalMutualLearning
{
    /// <param name="featurePass">The pass over both decoders' features (prototypes, entropies, hard predictions).</param>
    /// <param name="decoders">Both decoders' outputs: logits and features (B, F, X, Y, Z).</param>
    /// <param name="probs">p_k = softmax(seg_k), (B, C, X, Y, Z), the tensors <paramref name="featurePass"/> was computed from.</param>
    /// <param name="correctCrossEntropy">On: the cross-entropy takes the student's logits; off: its probabilities (quirk).</param>
    public static (Tensor Pml, Tensor Ual) BothWays(FusedDecoderFeatures.Result featurePass, DecoderOutput[] decoders, Tensor[] probs, int labeledCount, double fusionWeight, bool correctCrossEntropy)
    {
        var contiguousProbs = probs.Select(p => p.contiguous()).ToArray();
        var features = decoders.Select(d => d.Features.contiguous()).ToArray();
        var statistics = featurePass.Statistics;
        Tensor? pml = null, ual = null;
        foreach (var (student, teacher) in new[] { (0, 1), (1, 0) })
        {
            var prototypes = featurePass.Prototypes[teacher];
            var (labeled, unlabeled) = PrototypicalMutualLearning.SplitPrototypes(prototypes, labeledCount);
            var fused = PrototypicalMutualLearning.FusedPrototype(labeled, unlabeled, fusionWeight);
            var pair = new FusedMutualCrossEntropy.Pair(statistics[student], statistics[teacher], contiguousProbs[teacher], features[teacher], UnitRows(fused));
            var studentInput = correctCrossEntropy ? decoders[student].Seg.contiguous() : contiguousProbs[student];
            var mutual = FusedMutualCrossEntropy.Compute(studentInput, pair);
            var alignment = PrototypicalMutualLearning.UnlabeledLabeledAlignment(labeled, unlabeled);
            pml = pml is null ? mutual : pml + mutual;
            ual = ual is null ? alignment : ual + alignment;
        }
        return (pml!, ual!);
    }

    /// <summary>Q̂ = Q / max(|Q|, 1e-8) per class, row-major (C × F); detached, as r is.</summary>
    private static float[] UnitRows(Tensor prototype)
    {
        var (classes, channels) = ((int)prototype.shape[0], (int)prototype.shape[1]);
        var values = prototype.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        var unit = new float[values.Length];
        for (var c = 0; c < classes; c++)
        {
            var row = values.AsSpan(c * channels, channels);
            var norm = 0.0;
            foreach (var value in row) norm += value * value;
            var inverse = 1 / Math.Max(Math.Sqrt(norm), PrototypicalMutualLearning.CosineEpsilon);
            for (var f = 0; f < channels; f++) unit[c * channels + f] = (float)(row[f] * inverse);
        }
        return unit;
    }
}
