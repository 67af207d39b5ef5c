using Pmcm.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>One decoder's CML terms (docs/method.md §4), kept apart so they can be logged like the reference.</summary>
public sealed record CmlTerms(Tensor SegToSdf, Tensor SdfToSeg, Tensor SegCycle, Tensor SdfCycle);

/// <summary>
/// CML, docs/method.md §4. For decoder k with p = softmax(seg), d = tanh(sdf):
/// forward maps ŝd = tanh(M_s→d(p)), d̂s = M_d→s(d); task consistency against the detached answers;
/// and the two cycles d̃ = tanh(M_s→d(softmax(d̂s))), s̃ = softmax(M_d→s(ŝd)).
/// </summary>
public static class CyclicTaskConsistency
{
    /// <summary>
    /// Fused (<see cref="MappingNet.Map"/> and <see cref="CmlTermsFunction"/>) when both mapping networks are
    /// <see cref="MappingNet.Fused"/> and the inputs are CPU float32, else the libtorch composition.
    /// The mapping-network calls happen in the reference's order (both forward maps of both decoders, then
    /// both cycles), because each call in training mode moves the BatchNorm running statistics.
    /// </summary>
    public static CmlTerms[] Compute(Tensor[] probs, Tensor[] sdfs, MappingNet segToSdf, MappingNet sdfToSeg, bool meanSquaredCycleForDecoder1)
    {
        var k = probs.Length;
        var predictedSdf = new Tensor[k];    // ŝd_k = tanh(M_s→d(p_k))
        var predictedSeg = new Tensor[k];    // softmax(d̂s_k), d̂s_k = M_d→s(d_k)
        for (var i = 0; i < k; i++) predictedSdf[i] = segToSdf.Map(probs[i], MappingActivation.Tanh);
        for (var i = 0; i < k; i++) predictedSeg[i] = sdfToSeg.Map(sdfs[i], MappingActivation.Softmax);

        var cycledSdf = new Tensor[k];       // d̃_k = tanh(M_s→d(softmax(d̂s_k)))
        var cycledSeg = new Tensor[k];       // s̃_k = softmax(M_d→s(ŝd_k))
        for (var i = 0; i < k; i++) cycledSdf[i] = segToSdf.Map(predictedSeg[i], MappingActivation.Tanh);
        for (var i = 0; i < k; i++) cycledSeg[i] = sdfToSeg.Map(predictedSdf[i], MappingActivation.Softmax);

        var fused = segToSdf.Fused && sdfToSeg.Fused && probs.Concat(sdfs).All(t => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32);
        var terms = new CmlTerms[k];
        for (var i = 0; i < k; i++)
        {
            // (quirk) the reference squares the mean difference for decoder 1 only.
            var squaredMeanCycle = i == 0 && !meanSquaredCycleForDecoder1;
            terms[i] = fused
                ? CmlTermsFunction.Apply(predictedSdf[i], predictedSeg[i], cycledSdf[i], cycledSeg[i], probs[i], sdfs[i], squaredMeanCycle)
                : ComposedTerms(predictedSdf[i], predictedSeg[i], cycledSdf[i], cycledSeg[i], probs[i], sdfs[i], squaredMeanCycle);
        }
        return terms;
    }

    /// <summary>The four terms as libtorch operations: the reference implementation of <see cref="CmlTermsFunction"/>.</summary>
    private static CmlTerms ComposedTerms(Tensor predictedSdf, Tensor predictedSeg, Tensor cycledSdf, Tensor cycledSeg, Tensor probs, Tensor sdf, bool squaredMeanCycle)
    {
        var p = probs.detach();
        var d = sdf.detach();
        var segToSdfLoss = (predictedSdf - d).square().mean();
        var sdfToSegLoss = KlDivergence.Elementwise(p, predictedSeg).mean();
        var segCycle = KlDivergence.Elementwise(p, cycledSeg).mean();
        var sdfCycle = squaredMeanCycle ? (d - cycledSdf).mean().square() : (d - cycledSdf).square().mean();
        return new CmlTerms(segToSdfLoss, sdfToSegLoss, segCycle, sdfCycle);
    }
}
