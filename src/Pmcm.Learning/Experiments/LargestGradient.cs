using Pmcm.Core.Metrics;
using Pmcm.Core.Runs;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// A run's largest logged gradient norm, where it happened and how far it stood above the run's median: a run that
/// lost what it had learned in one step (PMCM-8 seed 3 on LA: 442 at iteration 656 against a median of about 2)
/// shows it here, where its validation curve only shows the damage.
/// </summary>
public readonly record struct LargestGradient(long Iteration, double Norm, double Median)
{
    public double TimesMedian => Norm / Median;

    /// <summary>Null when the run's log.csv is missing or predates the <see cref="GradientNorm.Column"/> column.</summary>
    public static LargestGradient? Of(FinishedCell cell)
    {
        if (!File.Exists(cell.Files.Log)) return null;
        var rows = TrainingLog.Read(cell.Files.Log).Where(r => r.Values.ContainsKey(GradientNorm.Column)).ToList();
        if (rows.Count == 0) return null;
        var largest = rows.MaxBy(r => r.Values[GradientNorm.Column]);
        var sorted = rows.Select(r => r.Values[GradientNorm.Column]).Order().ToList();
        return new LargestGradient(largest.Iteration, largest.Values[GradientNorm.Column], PairedBootstrap.Percentile(sorted, 0.5));
    }
}
