using Pmcm.Core.Data;
using Pmcm.Core.Inference;
using Pmcm.Core.Metrics;
using static TorchSharp.torch;

namespace Pmcm.Learning.Inference;

/// <summary>
/// Scores a model on labeled cases, the one way Pmcm does it (training-time validation, <c>experiment</c>,
/// <c>demo</c>, <c>eval</c>): whole-case segmentation by <see cref="SlidingWindowInferer"/> on the case's grid,
/// then Dice, Jaccard, HD95 and ASD exactly as medpy computes them.
/// </summary>
public sealed class Evaluator(SlidingWindowInferer inferer)
{
    /// <summary>The reference's evaluation of a loaded model: decoder 1, uniform windows of the run's patch and stride.</summary>
    public static Evaluator For(LoadedModel model, Device device) =>
        new(new SlidingWindowInferer(model.Net, device, new InferenceOptions(new SlidingWindowOptions(model.Patch, model.Stride))));

    public SlidingWindowInferer Inferer { get; } = inferer;

    public EvaluatedCase Score(LabeledCase c)
    {
        var result = Inferer.Segment(c.Image.Data, c.Image.Shape);
        var prediction = new bool[result.Mask.Length];
        var reference = new bool[result.Mask.Length];
        for (var i = 0; i < prediction.Length; i++)
        {
            prediction[i] = result.Mask[i] != 0;
            reference[i] = c.Label[i] != 0;
        }
        return new EvaluatedCase(c.Name, SegmentationMetrics.Compute(prediction, reference, c.Image.Shape), result.Mask);
    }

    public IReadOnlyList<EvaluatedCase> Score(IEnumerable<LabeledCase> cases) => cases.Select(Score).ToList();
}
