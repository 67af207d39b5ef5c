using Pmcm.Core.Runs;
using static Pmcm.Core.Runs.ValidationColumns;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// A row's validation history: at each validation iteration, the mean over the row's seeds of their validation
/// Dice and HD95 (from each run's validation.csv; an iteration counts the seeds that validated there).
/// </summary>
public sealed record ValidationCurve(string Method, string Labeled, int LabeledCases, IReadOnlyList<ValidationPoint> Points)
{
    /// <summary>One curve per row in grid order; rows whose runs kept no validation.csv have none.</summary>
    public static IReadOnlyList<ValidationCurve> Of(IReadOnlyList<FinishedCell> cells) => cells
        .GroupBy(c => (c.Result.Method, c.Result.Labeled))
        .Select(g =>
        {
            var rows = g.SelectMany(c => TrainingLog.Read(c.Files.ValidationLog))
                .Where(r => r.Values.ContainsKey(Dice) && r.Values.ContainsKey(Hd95)).ToList();
            var points = rows.GroupBy(r => r.Iteration).OrderBy(p => p.Key)
                .Select(p => new ValidationPoint(p.Key, p.Average(r => r.Values[Dice]), p.Average(r => r.Values[Hd95]), p.Count()))
                .ToList();
            return new ValidationCurve(g.Key.Method, g.Key.Labeled, g.First().Result.LabeledCases, points);
        })
        .Where(c => c.Points.Count > 0)
        .ToList();
}

/// <summary>One point of a <see cref="ValidationCurve"/>: means over <see cref="Seeds"/> runs.</summary>
public readonly record struct ValidationPoint(long Iteration, double Dice, double Hd95, int Seeds);
