using Pmcm.Learning.Losses.Fused;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>
/// Every term of the PMCM objective at one iteration, named as the reference logs them, plus the total
/// that is back-propagated. Weights are the ramped values actually used.
/// </summary>
public sealed class PmcmLossTerms
{
    public required Tensor Total { get; init; }
    /// <summary>Term and weight values by the reference's log names (e.g. <c>Labeled_loss/loss_seg_dice</c>).</summary>
    public required IReadOnlyDictionary<string, Tensor> Terms { get; init; }
    public required IReadOnlyDictionary<string, double> Weights { get; init; }
}

/// <summary>
/// The total PMCM loss of docs/method.md §5:
/// L = λ L_dice + λβ L_sdf + γ r Σ_k L_task,k + φ r L_div + μ r L_map + κ r L_pml + ρ r L_ual (r = rampup(t)).
/// </summary>
public static class PmcmLoss
{
    public static PmcmLossTerms Compute(SegmentationOutputs outputs, BatchTensors batch, MappingNet segToSdf, MappingNet sdfToSeg, long iteration, PmcmLossOptions options)
    {
        var bl = batch.LabeledCount;
        var decoders = outputs.Both();
        var probs = decoders.Select(d => d.Seg.softmax(1)).ToArray();
        var sdfs = decoders.Select(d => d.Sdf!.tanh()).ToArray();
        var ramp = options.Ramp.At(iteration);
        var pmlRamp = options.CorrectPmlRampIteration ? ramp : options.Ramp.At(iteration + 1);

        var terms = new Dictionary<string, Tensor>();
        var weights = new Dictionary<string, double>();

        // §2 supervision on the labeled part of the batch.
        var labels = batch.Label[..bl];
        var dice = SupervisedDiceLoss.Compute(probs[0][..bl, 1], labels) + SupervisedDiceLoss.Compute(probs[1][..bl, 1], labels);
        var sdf = options.Supervised * (SdfLoss.Compute(decoders[0].Sdf![..bl], batch.Sdf[..bl]) + SdfLoss.Compute(decoders[1].Sdf![..bl], batch.Sdf[..bl]));
        terms["Labeled_loss/loss_seg_dice"] = dice;
        terms["Labeled_loss/bd_loss"] = sdf;
        var total = options.Supervised * dice + options.Sdf * sdf;

        // §5 feature diversity; its mean cosine is also the logged Co_loss/sim2map.
        var featurePass = options.FusedKernels && FusedDecoderFeatures.Supports(decoders, probs) ? FusedDecoderFeatures.Compute(decoders, probs) : null;
        var meanCosine = featurePass?.MeanCosine ?? FeatureDiversity.Cosine(decoders[0].Features, decoders[1].Features).mean();
        var diversity = FeatureDiversity.FromMeanCosine(meanCosine);
        terms["Co_loss/feat_sim"] = diversity;
        weights["weight/feat_sim_weight"] = options.Diversity * ramp;
        total += options.Diversity * ramp * diversity;

        // §4 CML: task consistency and cycles.
        if (options.UseCml)
        {
            var cml = CyclicTaskConsistency.Compute(probs, sdfs, segToSdf, sdfToSeg, options.CorrectSdfCycle);
            for (var k = 0; k < cml.Length; k++)
            {
                terms[$"loss/{k + 1}_seg_bd_loss"] = cml[k].SegToSdf;
                terms[$"loss/{k + 1}_bd_seg_loss"] = cml[k].SdfToSeg;
            }
            var task = cml.Select(t => t.SegToSdf + t.SdfToSeg).Aggregate((a, b) => a + b);
            var sdfCycles = cml.Select(t => t.SdfCycle).Aggregate((a, b) => a + b);
            var segCycles = cml.Select(t => t.SegCycle).Aggregate((a, b) => a + b);
            terms["loss/seg_bd_map_loss"] = sdfCycles;
            terms["loss/bd_seg_map_loss"] = segCycles;
            weights["weight/task_weight"] = options.TaskConsistency * ramp;
            weights["weight/mapping_weight"] = options.Cycles * ramp;
            total += options.TaskConsistency * ramp * task + options.Cycles * ramp * (sdfCycles + segCycles);
        }

        if (options.DtcTerm)
        {
            var dtc = DtcConsistency.Compute(probs[0], sdfs[0]) + DtcConsistency.Compute(probs[1], sdfs[1]);
            terms["loss/dtc_loss"] = dtc;
            total += options.TaskConsistency * ramp * dtc;
        }

        // §3 PML: each decoder is the other's student.
        if (options.UsePml)
        {
            var (pml, ual) = featurePass is not null
                ? FusedPrototypicalMutualLearning.BothWays(featurePass, decoders, probs, bl, ramp, options.CorrectPmlCrossEntropy)
                : PrototypicalMutualLearning.BothWays(decoders, probs, bl, ramp, options.CorrectPmlCrossEntropy);
            terms["Co_loss/consistency_loss"] = pml;
            terms["Co_loss/u_sim_loss"] = ual;
            weights["weight/p_weight"] = ramp;
            weights["weight/consistency_weight"] = options.Pml * pmlRamp;
            weights["weight/ual_weight"] = options.Ual * pmlRamp;
            total += options.Pml * pmlRamp * pml + options.Ual * pmlRamp * ual;
        }

        terms["Co_loss/sim2map"] = meanCosine.detach();
        return new PmcmLossTerms { Total = total, Terms = terms, Weights = weights };
    }
}
