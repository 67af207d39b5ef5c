using Pmcm.Core.Metrics;

namespace Pmcm.Learning.Inference;

/// <summary>A scored case: its name, its scores and the predicted mask (1 = foreground) on the grid it was scored on.</summary>
public sealed record EvaluatedCase(string Name, SegmentationScores Scores, byte[] Mask);
