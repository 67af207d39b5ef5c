using System.Diagnostics;

namespace Pmcm.Cli;

/// <summary>
/// A one-line progress bar on stderr for long jobs: it appears only once the job has run for
/// <see cref="Delay"/> and only on a terminal, so quick runs and redirected output stay clean.
/// </summary>
public sealed class TerminalProgress(int total, string unit) : IProgress<int>, IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private const int Width = 30;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private bool _shown;

    public void Report(int done)
    {
        if (!_terminal || _clock.Elapsed < Delay) return;
        _shown = true;
        var filled = total == 0 ? Width : done * Width / total;
        var eta = done == 0 ? "" : $", ~{(_clock.Elapsed / done * (total - done)).TotalSeconds:F0} s left";
        Console.Error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {unit}{eta}   ");
    }

    public void Dispose()
    {
        if (_shown) Console.Error.WriteLine();
    }
}
