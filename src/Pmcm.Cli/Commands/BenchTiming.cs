using System.Diagnostics;

namespace Pmcm.Cli.Commands;

/// <summary>Timing of a benchmark run: wall time, and process CPU time (all threads, user + system), which is what to compare on a shared machine.</summary>
public static class BenchTiming
{
    /// <summary>Median wall and median CPU seconds of <paramref name="runs"/> runs after one warm-up run.</summary>
    public static (double Wall, double Cpu) Median(Action run, int runs)
    {
        run();
        var process = Process.GetCurrentProcess();
        var samples = Enumerable.Range(0, runs).Select(_ =>
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            run();
            var wall = clock.Elapsed.TotalSeconds;
            process.Refresh();
            return (Wall: wall, Cpu: (process.TotalProcessorTime - cpu).TotalSeconds);
        }).ToArray();
        return (MedianOf(samples.Select(s => s.Wall)), MedianOf(samples.Select(s => s.Cpu)));
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
