namespace Pmcm.Core.Runs;

/// <summary>
/// The wall time a run spent training, read back from its logs: every iteration's <c>seconds</c> in
/// <c>log.csv</c> (waiting for the batch plus the step) and every validation's in <c>validation.csv</c>
/// (BatchNorm recalibration plus scoring). Unlike a clock around one process, it covers every session of a
/// resumed run, and it leaves out start-up (loading the cases), which does not grow with the iterations.
/// </summary>
public static class RunTime
{
    /// <summary>The column both logs keep their wall seconds in.</summary>
    public const string Column = "seconds";

    /// <summary>The run's training seconds, or null when a row of either log lacks them (a run begun before they were logged).</summary>
    public static double? Seconds(RunFiles files)
    {
        var iterations = TrainingLog.Read(files.Log);
        if (iterations.Count == 0) return null;
        var validations = TrainingLog.Read(files.ValidationLog);
        var total = 0.0;
        foreach (var (_, values) in iterations.Concat(validations))
        {
            if (!values.TryGetValue(Column, out var seconds)) return null;
            total += seconds;
        }
        return total;
    }
}
