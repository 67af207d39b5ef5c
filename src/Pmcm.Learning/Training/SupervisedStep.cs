using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>Supervised V-Net: forward and loss on the labeled part of each batch only.</summary>
public sealed class SupervisedStep(VNet model, OptimizerOptions optimizer) : SingleNetworkStep<VNet>(model, optimizer)
{
    protected override (Tensor Total, Dictionary<string, double> Values) Loss(BatchTensors batch, long iteration)
    {
        var bl = batch.LabeledCount;
        var logits = Model.forward(batch.Image[..bl]).Decoder1.Seg;
        var (total, crossEntropy, dice) = SupervisedBaselineLoss.Compute(logits, batch.Label[..bl]);
        return (total, LossGuard.Check(iteration, ("total", total), ("Labeled_loss/loss_seg_ce", crossEntropy), ("Labeled_loss/loss_seg_dice", dice)));
    }
}
