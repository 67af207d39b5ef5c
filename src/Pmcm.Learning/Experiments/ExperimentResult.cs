using Pmcm.Core.Metrics;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// What one finished run scored on the validation cases (its best checkpoint), and what it cost:
/// <see cref="TrainingSeconds"/> is the run's whole training time from its logs (<see cref="Pmcm.Core.Runs.RunTime"/>)
/// when <see cref="WholeRunTimed"/>, otherwise (a run begun before its logs kept the time) the wall time of the
/// session that finished it.
/// </summary>
public sealed record ExperimentResult(
    string Method,
    string Labeled,
    int Seed,
    int LabeledCases,
    IReadOnlyList<string> Cases,
    IReadOnlyList<SegmentationScores> Scores,
    double TrainingSeconds,
    long BestIteration,
    bool WholeRunTimed = false);
