using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// Supervised V-Net: the loss on the labeled part of each batch only. By default only that part goes through the
/// network; with <paramref name="normaliseOverUnlabeled"/> the whole batch does (its unlabeled crops carry no loss),
/// so that each BatchNorm normalises over labeled and unlabeled crops as it does in PMCM's training.
/// </summary>
public sealed class SupervisedStep(VNet model, OptimizerOptions optimizer, bool normaliseOverUnlabeled = false)
    : SingleNetworkStep<VNet>(model, optimizer)
{
    protected override (Tensor Total, Dictionary<string, double> Values) Loss(BatchTensors batch, long iteration)
    {
        var bl = batch.LabeledCount;
        var logits = Model.forward(normaliseOverUnlabeled ? batch.Image : batch.Image[..bl]).Decoder1.Seg[..bl];
        var (total, crossEntropy, dice) = SupervisedBaselineLoss.Compute(logits, batch.Label[..bl]);
        return (total, LossGuard.Check(iteration, ("total", total), ("Labeled_loss/loss_seg_ce", crossEntropy), ("Labeled_loss/loss_seg_dice", dice)));
    }
}
