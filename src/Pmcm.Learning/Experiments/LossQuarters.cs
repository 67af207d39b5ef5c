using Pmcm.Core.Runs;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// What a row's logged terms did over training: each log.csv column's mean over the first, second, third and
/// fourth quarter of a run's rows, averaged over the row's seeds. Columns are the log's own names, loss terms and
/// their weights alike, in the log's order.
/// </summary>
public sealed record LossQuarters(string Method, string Labeled, int LabeledCases, int Runs, IReadOnlyList<TermQuarters> Terms)
{
    public const int Quarters = 4;

    /// <summary>The quarters of one row's runs (cells of one method and labeled count); null when none kept a log.</summary>
    public static LossQuarters? Of(IReadOnlyList<FinishedCell> row)
    {
        var runs = row.Select(c => TrainingLog.Read(c.Files.Log)).Where(log => log.Count >= Quarters).ToList();
        if (runs.Count == 0) return null;
        var columns = runs[0][0].Values.Keys.Where(k => runs.All(log => log[0].Values.ContainsKey(k))).ToList();
        var terms = columns.Select(column => new TermQuarters(column, Enumerable.Range(0, Quarters)
            .Select(q => runs.Average(log => QuarterMean(log, column, q)))
            .ToArray())).ToList();
        var first = row[0].Result;
        return new LossQuarters(first.Method, first.Labeled, first.LabeledCases, runs.Count, terms);
    }

    // Rows [q·n/4, (q+1)·n/4) of the log: quarters of equal length by row count.
    private static double QuarterMean(IReadOnlyList<(long Iteration, Dictionary<string, double> Values)> log, string column, int q)
    {
        var (start, end) = (q * log.Count / Quarters, (q + 1) * log.Count / Quarters);
        var sum = 0.0;
        for (var i = start; i < end; i++) sum += log[i].Values[column];
        return sum / (end - start);
    }
}

/// <summary>One logged term's means over the four quarters of training, first to last.</summary>
public sealed record TermQuarters(string Term, IReadOnlyList<double> Means);
