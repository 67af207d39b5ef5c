using Pmcm.Learning.Training;

namespace Pmcm.Cli;

/// <summary>
/// Training progress on stderr: one line refreshed in place on a terminal; when redirected, a line at
/// each validation and every <see cref="SparseLines"/>-th of the run, so logs stay short.
/// </summary>
public sealed class TrainingProgressLine : IDisposable
{
    private const int SparseLines = 20;
    private readonly bool terminal = !Console.IsErrorRedirected;
    private bool shown;

    public void Report(TrainingProgress p)
    {
        var every = Math.Max(1, p.Iterations / SparseLines);
        if (!terminal && !p.Validated && p.Iteration % every != 0) return;
        var best = double.IsNaN(p.BestDice) ? "-" : $"{p.BestDice:F4}";
        var line = $"iteration {p.Iteration}/{p.Iterations}  {p.IterationsPerSecond:F2} it/s  ETA {Eta(p.Remaining)}  loss {p.Loss:F4}  best val Dice {best}";
        if (terminal)
        {
            Console.Error.Write($"\r{line}   ");
            shown = true;
        }
        else Console.Error.WriteLine(line);
    }

    public void Dispose()
    {
        if (shown) Console.Error.WriteLine();
    }

    private static string Eta(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";
}
