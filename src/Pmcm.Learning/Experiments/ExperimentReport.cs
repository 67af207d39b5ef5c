using System.Globalization;
using System.Text;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;

namespace Pmcm.Learning.Experiments;

/// <summary>One row of the paper-style table: a method at a labeled count, pooled over seeds and cases.</summary>
public sealed record ExperimentRow(string Method, string Labeled, int LabeledCases, MetricSummary Summary, int Runs, double MeanTrainingMinutes);

/// <summary>
/// The paper-style table (Dice %, Jaccard %, HD95, ASD as mean ± std over the evaluated cases) as Markdown and CSV.
/// Standard deviations are numpy's population std over all evaluated cases of all seeds.
/// </summary>
public static class ExperimentReport
{
    public static IReadOnlyList<ExperimentRow> Rows(IReadOnlyList<ExperimentResult> results) => results
        .GroupBy(r => (r.Method, r.Labeled))
        .Select(g => new ExperimentRow(g.Key.Method, g.Key.Labeled, g.First().LabeledCases,
            MetricSummary.Of(g.SelectMany(r => r.Scores).ToList()), g.Count(), g.Average(r => r.TrainingSeconds) / 60))
        .ToList();

    public static string Markdown(IReadOnlyList<ExperimentRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| method | labeled | Dice (%) | Jaccard (%) | HD95 (voxels) | ASD (voxels) | runs | minutes per run |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in rows)
            text.AppendLine($"| {r.Method} | {r.LabeledCases} | {Pct(r.Summary.Dice)} | {Pct(r.Summary.Jaccard)} | {Plain(r.Summary.Hd95)} | {Plain(r.Summary.Asd)} | {r.Runs} | {F(r.MeanTrainingMinutes, 1)} |");
        return text.ToString();
    }

    public static string Csv(IReadOnlyList<ExperimentRow> rows)
    {
        var text = new StringBuilder("method,labeled,dice_mean,dice_std,jaccard_mean,jaccard_std,hd95_mean,hd95_std,asd_mean,asd_std,cases,empty_predictions,runs,minutes_per_run\n");
        foreach (var r in rows)
        {
            var s = r.Summary;
            text.AppendLine(string.Join(",", r.Method, r.LabeledCases, F(s.Dice.Mean, 6), F(s.Dice.Std, 6), F(s.Jaccard.Mean, 6), F(s.Jaccard.Std, 6),
                F(s.Hd95.Mean, 4), F(s.Hd95.Std, 4), F(s.Asd.Mean, 4), F(s.Asd.Std, 4), s.Cases, s.EmptyPredictions, r.Runs, F(r.MeanTrainingMinutes, 2)));
        }
        return text.ToString();
    }

    public static void Write(string directory, IReadOnlyList<ExperimentRow> rows)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), Markdown(rows));
        AtomicFile.WriteAllText(Path.Combine(directory, "results.csv"), Csv(rows));
    }

    private static string Pct(Statistic s) => $"{F(100 * s.Mean, 2)} ± {F(100 * s.Std, 2)}";
    private static string Plain(Statistic s) => $"{F(s.Mean, 2)} ± {F(s.Std, 2)}";
    private static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);
}
