using Pmcm.Learning.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// A step whose only trainable module is the network (the baselines): training mode, zero gradients, the method's
/// loss terms (checked by <see cref="LossGuard"/>), backward, the <see cref="GradientNorm"/> (clipped if asked), SGD step, all in one dispose scope.
/// </summary>
public abstract class SingleNetworkStep<TNet> : ITrainingStep where TNet : SegmentationNet
{
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly double maxGradientNorm;

    protected SingleNetworkStep(TNet model, OptimizerOptions optimizer)
    {
        Model = model;
        parameters = [.. model.parameters()];
        Optimizer = optimizer.Sgd(parameters);
        maxGradientNorm = optimizer.MaxGradientNorm;
    }

    protected TNet Model { get; }

    public SegmentationNet Network => Model;
    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = Model };
    public SGD Optimizer { get; }

    public IReadOnlyDictionary<string, double> Train(BatchTensors batch, long iteration)
    {
        using var scope = NewDisposeScope();
        Model.train();
        Optimizer.zero_grad();
        var (total, values) = Loss(batch, iteration);
        total.backward();
        values[GradientNorm.Column] = GradientNorm.Clip(parameters, maxGradientNorm);
        Optimizer.step();
        return values;
    }

    /// <summary>The loss to back-propagate and every logged value ("total" included), already checked for NaN.</summary>
    protected abstract (Tensor Total, Dictionary<string, double> Values) Loss(BatchTensors batch, long iteration);
}
