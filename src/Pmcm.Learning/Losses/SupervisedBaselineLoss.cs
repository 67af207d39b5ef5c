using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pmcm.Learning.Losses;

/// <summary>
/// The supervised V-Net baseline's loss on labeled samples: ½ (cross-entropy + Dice), the usual "V-Net" row of the
/// semi-supervised literature (UA-MT, SASSNet, DTC, MC-Net all train it this way).
/// </summary>
public static class SupervisedBaselineLoss
{
    /// <returns>(total, cross-entropy, Dice)</returns>
    public static (Tensor Total, Tensor CrossEntropy, Tensor Dice) Compute(Tensor logits, Tensor label)
    {
        var crossEntropy = F.cross_entropy(logits, label);
        var dice = SupervisedDiceLoss.Compute(logits.softmax(1)[.., 1], label);
        return (0.5 * (crossEntropy + dice), crossEntropy, dice);
    }
}
