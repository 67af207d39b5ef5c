namespace Pmcm.Cli.Tests;

/// <summary>
/// A tiny `pmcm experiment` grid for CLI tests: a synthetic dataset of 8 cases of 32³ (6 train, 2 test) and
/// scale options that train a 2-filter network for 4 iterations on one thread, so each cell takes seconds and
/// gives the same numbers in any process.
/// </summary>
public static class TinyGrid
{
    public static readonly string[] Scale =
        ["--iterations", "4", "--patch", "32,32,16", "--batch", "2", "--labeled-batch", "1", "--n-filters", "2", "--val-every", "2", "--threads", "1"];

    /// <summary>Writes the dataset with `pmcm synth` (in process; the caller is in the "Console" collection).</summary>
    public static string WriteData(string directory)
    {
        var (exit, _, stderr) = CliHarness.Run("synth", "--out", directory, "--cases", "8", "--size", "32,32,32", "--test-fraction", "0.25", "--seed", "7");
        Assert.True(exit == 0, stderr);
        return directory;
    }

    /// <summary>`experiment` with the grid, data, output folder and scale, followed by <paramref name="more"/>.</summary>
    public static string[] Arguments(string grid, string data, string output, params string[] more) =>
        ["experiment", .. grid.Split(' '), "--data", data, "--out", output, .. Scale, .. more];
}
