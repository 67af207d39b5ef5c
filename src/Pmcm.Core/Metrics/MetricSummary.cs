namespace Pmcm.Core.Metrics;

/// <summary>
/// The per-metric mean ± std over a set of cases, and how many cases had an empty prediction or reference.
/// Empty predictions count with their 0 scores (the reference's convention); the NaN HD95/ASD of an empty
/// reference are left out of those two statistics.
/// </summary>
public sealed record MetricSummary(Statistic Dice, Statistic Jaccard, Statistic Hd95, Statistic Asd, int Cases, int EmptyPredictions, int EmptyReferences)
{
    public static MetricSummary Of(IReadOnlyList<SegmentationScores> cases) => new(
        Describe(cases.Select(c => c.Dice)),
        Describe(cases.Select(c => c.Jaccard)),
        Describe(cases.Select(c => c.Hd95)),
        Describe(cases.Select(c => c.Asd)),
        cases.Count,
        cases.Count(c => c.EmptyPrediction),
        cases.Count(c => c.EmptyReference));

    private static Statistic Describe(IEnumerable<double> scores)
    {
        var values = scores.Where(v => !double.IsNaN(v)).ToArray();
        if (values.Length == 0) return new Statistic(double.NaN, double.NaN, 0);
        var mean = SegmentationMetrics.Mean(values);
        var squares = new double[values.Length];
        for (var i = 0; i < values.Length; i++) squares[i] = (values[i] - mean) * (values[i] - mean);
        return new Statistic(mean, Math.Sqrt(SegmentationMetrics.Mean(squares)), values.Length);
    }
}
