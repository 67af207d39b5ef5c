using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// SGD settings of docs/method.md §7 (constant learning rate), and the gradient-norm limit each step applies before
/// its update (<see cref="GradientNorm.Clip"/>; 0 = none, the reference's).
/// </summary>
public sealed record OptimizerOptions(double LearningRate = 0.01, double Momentum = 0.9, double WeightDecay = 1e-4, double MaxGradientNorm = 0)
{
    /// <summary>The SGD optimiser of these settings over the given parameters.</summary>
    public SGD Sgd(IEnumerable<Parameter> parameters) => optim.SGD(parameters, LearningRate, Momentum, weight_decay: WeightDecay);

    /// <summary>Reads lr, momentum and weight_decay from a vectors <c>losses.json</c>, defaulting to the paper's.</summary>
    public static OptimizerOptions FromReference(JsonElement root)
    {
        double Get(string name, double fallback) => root.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
        var defaults = new OptimizerOptions();
        return new OptimizerOptions(Get("lr", defaults.LearningRate), Get("momentum", defaults.Momentum), Get("weight_decay", defaults.WeightDecay));
    }
}
