using Pmcm.Core.Data;
using Pmcm.Core.Inference;
using Pmcm.Core.Metrics;
using Pmcm.Core.Morphology;
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
        return new EvaluatedCase(c.Name, Compare(Foreground(result.Mask), c), result.Mask);
    }

    public IReadOnlyList<EvaluatedCase> Score(IEnumerable<LabeledCase> cases) => cases.Select(Score).ToList();

    /// <summary>
    /// <paramref name="scored"/>'s prediction with only its largest 26-connected component kept (the reference's
    /// <c>--nms</c> post-processing, off in its test script) scored again against <paramref name="c"/>'s label,
    /// without a second inference: how much of a score stray blobs cost.
    /// </summary>
    public static SegmentationScores ScoreLargestComponent(EvaluatedCase scored, LabeledCase c)
    {
        if (scored.Name != c.Name || scored.Mask.Length != c.Label.Length)
            throw new ArgumentException($"the prediction of {scored.Name} ({scored.Mask.Length} voxels) is not one of {c.Name} ({c.Label.Length} voxels)");
        return Compare(ConnectedComponents.Largest(Foreground(scored.Mask), c.Image.Shape), c);
    }

    private static SegmentationScores Compare(bool[] prediction, LabeledCase c) =>
        SegmentationMetrics.Compute(prediction, Foreground(c.Label), c.Image.Shape);

    private static bool[] Foreground(byte[] mask)
    {
        var foreground = new bool[mask.Length];
        for (var i = 0; i < mask.Length; i++) foreground[i] = mask[i] != 0;
        return foreground;
    }
}
