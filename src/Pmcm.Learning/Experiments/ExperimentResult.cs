using Pmcm.Core.Metrics;

namespace Pmcm.Learning.Experiments;

/// <summary>What one finished run scored on the validation cases (its best checkpoint), and what it cost.</summary>
public sealed record ExperimentResult(
    string Method,
    string Labeled,
    int Seed,
    int LabeledCases,
    IReadOnlyList<string> Cases,
    IReadOnlyList<SegmentationScores> Scores,
    double TrainingSeconds,
    long BestIteration);
