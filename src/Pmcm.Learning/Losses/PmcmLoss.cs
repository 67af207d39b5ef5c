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
    /// <summary>
    /// The weighted summands of <see cref="Total"/>, one per equation term (<see cref="PmcmLossParts"/>), summed in
    /// this order; what the gradient-share diagnostic differentiates one at a time.
    /// </summary>
    public required IReadOnlyDictionary<string, Tensor> Parts { get; init; }
}

/// <summary>The names of <see cref="PmcmLossTerms.Parts"/>: each summand of §5's total, with its weight applied.</summary>
public static class PmcmLossParts
{
    /// <summary>λ L_dice, both decoders.</summary>
    public const string Dice = "dice";
    /// <summary>λβ L_sdf, both decoders.</summary>
    public const string Sdf = "sdf";
    /// <summary>φ r L_div.</summary>
    public const string Diversity = "diversity";
    /// <summary>γ r Σ_k L_task,k: both mapping directions, both decoders.</summary>
    public const string Task = "task";
    /// <summary>μ r L_map: the SDF and segmentation cycles.</summary>
    public const string Cycles = "cycles";
    /// <summary>γ r L_dtc, the DTC-style consistency option.</summary>
    public const string Dtc = "dtc";
    /// <summary>κ r L_pml.</summary>
    public const string Pml = "pml";
    /// <summary>ρ r L_ual.</summary>
    public const string Ual = "ual";
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
        var parts = new Dictionary<string, Tensor>();

        // §2 supervision on the labeled part of the batch.
        var labels = batch.Label[..bl];
        var dice = SupervisedDiceLoss.Compute(probs[0][..bl, 1], labels) + SupervisedDiceLoss.Compute(probs[1][..bl, 1], labels);
        var sdf = options.Supervised * (SdfLoss.Compute(decoders[0].Sdf![..bl], batch.Sdf[..bl]) + SdfLoss.Compute(decoders[1].Sdf![..bl], batch.Sdf[..bl]));
        terms["Labeled_loss/loss_seg_dice"] = dice;
        terms["Labeled_loss/bd_loss"] = sdf;
        parts[PmcmLossParts.Dice] = options.Supervised * dice;
        parts[PmcmLossParts.Sdf] = options.Sdf * sdf;

        // §5 feature diversity; its mean cosine is also the logged Co_loss/sim2map.
        var featurePass = options.FusedKernels && FusedDecoderFeatures.Supports(decoders, probs) ? FusedDecoderFeatures.Compute(decoders, probs) : null;
        var meanCosine = featurePass?.MeanCosine ?? FeatureDiversity.Cosine(decoders[0].Features, decoders[1].Features).mean();
        var diversity = FeatureDiversity.FromMeanCosine(meanCosine);
        terms["Co_loss/feat_sim"] = diversity;
        weights["weight/feat_sim_weight"] = options.Diversity * ramp;
        parts[PmcmLossParts.Diversity] = options.Diversity * ramp * diversity;

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
            parts[PmcmLossParts.Task] = options.TaskConsistency * ramp * task;
            parts[PmcmLossParts.Cycles] = options.Cycles * ramp * (sdfCycles + segCycles);
        }

        if (options.DtcTerm)
        {
            var dtc = DtcConsistency.Compute(probs[0], sdfs[0]) + DtcConsistency.Compute(probs[1], sdfs[1]);
            terms["loss/dtc_loss"] = dtc;
            parts[PmcmLossParts.Dtc] = options.TaskConsistency * ramp * dtc;
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
            parts[PmcmLossParts.Pml] = options.Pml * pmlRamp * pml;
            parts[PmcmLossParts.Ual] = options.Ual * pmlRamp * ual;
        }

        terms["Co_loss/sim2map"] = meanCosine.detach();
        var total = parts.Values.Aggregate((a, b) => a + b);
        return new PmcmLossTerms { Total = total, Terms = terms, Weights = weights, Parts = parts };
    }
}
