using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>MC-Net: two decoders, supervised Dice on both and mutual consistency with sharpened pseudo labels.</summary>
public sealed class McNetStep(McNet model, RampSchedule ramp, OptimizerOptions optimizer) : SingleNetworkStep<McNet>(model, optimizer)
{
    protected override (Tensor Total, Dictionary<string, double> Values) Loss(BatchTensors batch, long iteration)
    {
        var outputs = Model.forward(batch.Image).Both();
        var weight = ramp.At(iteration + 1);
        var (total, dice, consistency) = MutualConsistencyLoss.Compute(outputs.Select(o => o.Seg).ToArray(), batch.Label, batch.LabeledCount, weight);
        var values = LossGuard.Check(iteration, ("total", total), ("Labeled_loss/loss_seg_dice", dice), ("Co_loss/consistency_loss", consistency));
        values["Co_loss/consist_weight"] = weight;
        return (total, values);
    }
}
