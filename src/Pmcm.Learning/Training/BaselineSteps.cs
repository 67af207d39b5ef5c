using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>Supervised V-Net: forward and loss on the labeled part of each batch only.</summary>
public sealed class SupervisedStep : ITrainingStep
{
    private readonly VNet model;

    public SupervisedStep(VNet model, OptimizerOptions optimizer)
    {
        this.model = model;
        Optimizer = optimizer.Sgd(model.parameters());
    }

    public SegmentationNet Network => model;
    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = model };
    public SGD Optimizer { get; }

    public IReadOnlyDictionary<string, double> Train(BatchTensors batch, long iteration)
    {
        using var scope = NewDisposeScope();
        model.train();
        Optimizer.zero_grad();
        var bl = batch.LabeledCount;
        var logits = model.forward(batch.Image[..bl]).Decoder1.Seg;
        var (total, crossEntropy, dice) = SupervisedBaselineLoss.Compute(logits, batch.Label[..bl]);
        var values = StepValues.Check(iteration, ("total", total), ("Labeled_loss/loss_seg_ce", crossEntropy), ("Labeled_loss/loss_seg_dice", dice));
        total.backward();
        Optimizer.step();
        return values;
    }
}

/// <summary>MC-Net: two decoders, supervised Dice on both and mutual consistency with sharpened pseudo labels.</summary>
public sealed class McNetStep : ITrainingStep
{
    private readonly McNet model;
    private readonly RampSchedule ramp;

    public McNetStep(McNet model, RampSchedule ramp, OptimizerOptions optimizer)
    {
        this.model = model;
        this.ramp = ramp;
        Optimizer = optimizer.Sgd(model.parameters());
    }

    public SegmentationNet Network => model;
    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = model };
    public SGD Optimizer { get; }

    public IReadOnlyDictionary<string, double> Train(BatchTensors batch, long iteration)
    {
        using var scope = NewDisposeScope();
        model.train();
        Optimizer.zero_grad();
        var outputs = model.forward(batch.Image).Both();
        var weight = ramp.At(iteration + 1);
        var (total, dice, consistency) = MutualConsistencyLoss.Compute(outputs.Select(o => o.Seg).ToArray(), batch.Label, batch.LabeledCount, weight);
        var values = StepValues.Check(iteration, ("total", total), ("Labeled_loss/loss_seg_dice", dice), ("Co_loss/consistency_loss", consistency));
        values["Co_loss/consist_weight"] = weight;
        total.backward();
        Optimizer.step();
        return values;
    }
}

/// <summary>Turns named scalar tensors into numbers, stopping on the first NaN or infinity with its name.</summary>
internal static class StepValues
{
    public static Dictionary<string, double> Check(long iteration, params (string Name, Tensor Value)[] terms)
    {
        var values = new Dictionary<string, double>();
        foreach (var (name, tensor) in terms)
        {
            var value = PmcmStep.Value(tensor);
            if (!double.IsFinite(value)) throw new NonFiniteLossException(name, value, iteration);
            values[name] = value;
        }
        return values;
    }
}
