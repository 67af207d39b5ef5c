using Pmcm.Core.Metrics;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// What one finished run scored on the validation cases (its best checkpoint), and what it cost:
/// <see cref="TrainingSeconds"/> is the run's whole training time from its logs (<see cref="Pmcm.Core.Runs.RunTime"/>)
/// when <see cref="WholeRunTimed"/>, otherwise (a run begun before its logs kept the time) the wall time of the
/// session that finished it. <see cref="LargestComponentScores"/> are the same predictions scored on their largest
/// connected component (the reference's <c>--nms</c>); null in a result stored before they were kept.
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
    bool WholeRunTimed = false,
    IReadOnlyList<SegmentationScores>? LargestComponentScores = null)
{
    /// <summary>The same run with the scores of <paramref name="cases"/> left out (to ask what one case carries).</summary>
    public ExperimentResult Without(IReadOnlySet<string> cases)
    {
        var kept = Enumerable.Range(0, Cases.Count).Where(i => !cases.Contains(Cases[i])).ToList();
        return this with
        {
            Cases = kept.Select(i => Cases[i]).ToList(),
            Scores = kept.Select(i => Scores[i]).ToList(),
            LargestComponentScores = LargestComponentScores is { } lcc ? kept.Select(i => lcc[i]).ToList() : null,
        };
    }

    /// <summary>The same run scored on each prediction's largest connected component; null if those scores were not kept.</summary>
    public ExperimentResult? OnLargestComponent() =>
        LargestComponentScores is { } lcc ? this with { Scores = lcc, LargestComponentScores = null } : null;
}
