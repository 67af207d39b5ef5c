using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>The network outputs and loss terms of one forward/backward pass.</summary>
public sealed record StepResult(SegmentationOutputs Outputs, PmcmLossTerms Terms);

/// <summary>
/// One PMCM optimisation step (docs/method.md §5, §7): the network and both mapping networks in training mode,
/// the total loss back-propagated, and one SGD update of all three. Tensors are created in the caller's
/// dispose scope; <see cref="Train"/> wraps a whole step in its own scope so memory stays flat.
/// </summary>
public sealed class PmcmStep : ITrainingStep
{
    private readonly PmcmNet model;
    private readonly MappingNet segToSdf, sdfToSeg;
    private readonly PmcmLossOptions lossOptions;
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly double maxGradientNorm;

    public PmcmStep(PmcmNet model, MappingNet segToSdf, MappingNet sdfToSeg, PmcmLossOptions lossOptions, OptimizerOptions optimizerOptions)
    {
        this.model = model;
        this.segToSdf = segToSdf;
        this.sdfToSeg = sdfToSeg;
        this.lossOptions = lossOptions;
        parameters = [.. model.parameters(), .. segToSdf.parameters(), .. sdfToSeg.parameters()];
        Optimizer = optimizerOptions.Sgd(parameters);
        maxGradientNorm = optimizerOptions.MaxGradientNorm;
    }

    public SGD Optimizer { get; }

    public SegmentationNet Network => model;

    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module>
    {
        ["model"] = model, ["seg_bd_map"] = segToSdf, ["bd_seg_map"] = sdfToSeg,
    };

    /// <summary>Forward pass, every loss term and backward; gradients are left on the parameters.</summary>
    public StepResult ForwardBackward(BatchTensors batch, long iteration)
    {
        Optimizer.zero_grad();
        var result = Forward(batch, iteration);
        result.Terms.Total.backward();
        return result;
    }

    /// <summary>Every loss term of one batch, in training mode, with the graph for any backward the caller wants.</summary>
    public PmcmLossTerms Losses(BatchTensors batch, long iteration) => Forward(batch, iteration).Terms;

    private StepResult Forward(BatchTensors batch, long iteration)
    {
        model.train();
        segToSdf.train();
        sdfToSeg.train();
        var outputs = model.forward(batch.Image);
        var terms = PmcmLoss.Compute(outputs, batch, segToSdf, sdfToSeg, iteration, lossOptions);
        ThrowIfNotFinite(terms, iteration);
        return new StepResult(outputs, terms);
    }

    public void OptimizerStep() => Optimizer.step();

    /// <summary>A whole training step in its own dispose scope; returns every term and weight as numbers.</summary>
    public IReadOnlyDictionary<string, double> Train(BatchTensors batch, long iteration)
    {
        using var scope = NewDisposeScope();
        var result = ForwardBackward(batch, iteration);
        var gradientNorm = GradientNorm.Clip(parameters, maxGradientNorm);
        OptimizerStep();
        var values = new Dictionary<string, double> { ["total"] = Value(result.Terms.Total) };
        foreach (var (name, term) in result.Terms.Terms) values[name] = Value(term);
        foreach (var (name, weight) in result.Terms.Weights) values[name] = weight;
        values[GradientNorm.Column] = gradientNorm;
        return values;
    }

    /// <summary>A scalar tensor's value whatever its dtype or device.</summary>
    public static double Value(Tensor scalar) => scalar.detach().cpu().to_type(ScalarType.Float64).item<double>();

    private static void ThrowIfNotFinite(PmcmLossTerms terms, long iteration)
    {
        foreach (var (name, term) in terms.Terms.Append(new("total", terms.Total)))
        {
            var value = Value(term);
            if (!double.IsFinite(value)) throw new NonFiniteLossException(name, value, iteration);
        }
    }
}
