using Pmcm.Core.Metrics;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// One row of the table: a method at a labeled count. Each score is first averaged over a seed's validation cases
/// (<see cref="MetricSummary"/>), then summarised over the seeds (<see cref="SeedStatistic"/>), so the spread
/// is that of whole runs, not of cases. <see cref="Cases"/> and <see cref="EmptyPredictions"/> count over every
/// seed; <see cref="Iterations"/> lists the distinct run lengths (one value unless runs were extended).
/// <see cref="MinutesPerRun"/> is a lower bound unless <see cref="WholeRunsTimed"/> (see <see cref="ExperimentResult"/>).
/// <see cref="LateDice"/> selects no checkpoint: each run's mean validation Dice over the last third of its
/// iterations (<see cref="LateValidation"/>), summarised over the seeds that kept a validation.csv.
/// </summary>
public sealed record ExperimentRow(
    string Method,
    string Labeled,
    int LabeledCases,
    SeedStatistic Dice,
    SeedStatistic Jaccard,
    SeedStatistic Hd95,
    SeedStatistic Asd,
    IReadOnlyList<int> Seeds,
    int Cases,
    int EmptyPredictions,
    IReadOnlyList<int> Iterations,
    double MinutesPerRun,
    bool WholeRunsTimed,
    SeedStatistic LateDice)
{
    /// <summary>One row per (method, labeled) in grid order.</summary>
    public static IReadOnlyList<ExperimentRow> Of(IReadOnlyList<FinishedCell> cells) => cells
        .GroupBy(c => (c.Result.Method, c.Result.Labeled))
        .Select(g =>
        {
            var perSeed = g.Select(c => MetricSummary.Of(c.Result.Scores)).ToList();
            return new ExperimentRow(g.Key.Method, g.Key.Labeled, g.First().Result.LabeledCases,
                SeedStatistic.Of(perSeed.Select(s => s.Dice.Mean)),
                SeedStatistic.Of(perSeed.Select(s => s.Jaccard.Mean)),
                SeedStatistic.Of(perSeed.Select(s => s.Hd95.Mean)),
                SeedStatistic.Of(perSeed.Select(s => s.Asd.Mean)),
                g.Select(c => c.Result.Seed).ToList(),
                perSeed.Sum(s => s.Cases),
                perSeed.Sum(s => s.EmptyPredictions),
                g.Where(c => c.Record is not null).Select(c => c.Record!.Iterations).Distinct().Order().ToList(),
                g.Average(c => c.Result.TrainingSeconds) / 60,
                g.All(c => c.Result.WholeRunTimed),
                SeedStatistic.Of(g.Select(LateValidation.MeanDice).Where(double.IsFinite)));
        })
        .ToList();
}
