using Pmcm.Core.Runs;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// A run's level late in training without choosing a checkpoint: the mean validation Dice over the validations in
/// the last third of its iterations. The best checkpoint, chosen on the same validation cases it is scored on,
/// flatters every run, and a run whose curve swings more gains more from the choice; this does not.
/// </summary>
public static class LateValidation
{
    /// <summary>The share of the run, counted back from its last validation, that the mean covers.</summary>
    public const double Share = 1.0 / 3;

    /// <summary>NaN when the run kept no validation.csv.</summary>
    public static double MeanDice(FinishedCell cell)
    {
        var rows = TrainingLog.Read(cell.Files.ValidationLog).Where(r => r.Values.ContainsKey(ValidationColumns.Dice)).ToList();
        if (rows.Count == 0) return double.NaN;
        var last = rows.Max(r => r.Iteration);
        var late = rows.Where(r => r.Iteration > last * (1 - Share)).ToList();
        return late.Average(r => r.Values[ValidationColumns.Dice]);
    }
}
