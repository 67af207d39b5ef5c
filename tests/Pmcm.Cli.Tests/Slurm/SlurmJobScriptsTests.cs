using Pmcm.Cli.Slurm;

namespace Pmcm.Cli.Tests.Slurm;

/// <summary>What `pmcm experiment --emit slurm` writes, and the mode options' bad inputs; no Slurm needed.</summary>
[Collection("Console")]
public sealed class SlurmJobScriptsTests : IDisposable
{
    private const string Grid = "--methods supervised,pmcm --labeled 2,all --seeds 3";
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CellsScriptAsksForTheResourcesAndRunsOneCellPerArrayTask()
    {
        var jobs = _temp.File("jobs");
        var (exit, _, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, Data(), "out dir", "--emit", "slurm", jobs,
            "--slurm-partition", "gpu", "--slurm-gpus", "2", "--slurm-time", "12:00:00", "--slurm-mem", "16G", "--slurm-cpus", "4"));
        Assert.True(exit == 0, stderr);

        var cells = File.ReadAllLines(Path.Combine(jobs, "cells.sbatch"));
        Assert.Equal("#!/bin/bash", cells[0]);
        foreach (var line in new[]
                 {
                     "#SBATCH --partition=gpu", "#SBATCH --gres=gpu:2", "#SBATCH --time=12:00:00", "#SBATCH --mem=16G",
                     "#SBATCH --cpus-per-task=4", "#SBATCH --array=0-2", $"#SBATCH --output={jobs}/logs/cell-%a.log",
                     $"#SBATCH --chdir={Directory.GetCurrentDirectory()}", "#   2  pmcm-labeled2-seed3",
                 })
            Assert.Contains(line, cells);
        // The grid exactly as given (a path with a space quoted for bash), no mode or Slurm options, then the cell.
        Assert.Equal($"exec {Path.Combine(AppContext.BaseDirectory, "pmcm")} experiment --methods supervised,pmcm --labeled 2,all --seeds 3 --data {Data()} --out 'out dir' "
                     + string.Join(' ', TinyGrid.Scale) + " --cell \"$SLURM_ARRAY_TASK_ID\"", cells[^1]);

        var collect = File.ReadAllLines(Path.Combine(jobs, "collect.sbatch"));
        Assert.Contains("#SBATCH --partition=gpu", collect);
        Assert.DoesNotContain(collect, line => line.StartsWith("#SBATCH --gres", StringComparison.Ordinal) || line.StartsWith("#SBATCH --array", StringComparison.Ordinal));
        Assert.EndsWith(" --collect", collect[^1]);
        Assert.Contains("collect=$(sbatch --parsable --dependency=afterany:\"$cells\" collect.sbatch)", File.ReadAllLines(Path.Combine(jobs, "submit.sh")));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(jobs, "submit.sh")) & UnixFileMode.UserExecute);
    }

    [Fact]
    public void CellRunsThatCellAloneAndCollectNamesTheOthers()
    {
        var output = _temp.File("out");
        var (exit, stdout, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, Data(), output, "--cell", "1"));
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("supervised-labeledall-seed3: Dice ", stdout);
        Assert.Equal(["supervised-labeledall-seed3"], Directory.GetDirectories(output).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(output, "supervised-labeledall-seed3", "result.json")));

        // Collect reports the finished cell and names the others, in the report too.
        (exit, _, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, Data(), output, "--collect"));
        Assert.True(exit == 0, stderr);
        Assert.Equal("2 of 3 cells have no result.json, reported without them: 0 (supervised-labeled2-seed3), 2 (pmcm-labeled2-seed3)", stderr.Trim());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output, "results.csv")).Length);
        var md = File.ReadAllText(Path.Combine(output, "results.md"));
        Assert.Contains("0 (supervised-labeled2-seed3), 2 (pmcm-labeled2-seed3)", md);
        Assert.Contains("Not drawn: pmcm (2 labeled): no seed has finished", md); // the overlays are of the lowest labeled count
        Assert.Contains("No two rows share a labeled count, seeds and cases yet.", md);
    }

    [Theory]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("/data/la-2,x=1", "/data/la-2,x=1")]
    [InlineData("", "''")]
    [InlineData("$HOME", "'$HOME'")]
    public void WordsAreQuotedForBashOnlyWhenNeeded(string word, string quoted) => Assert.Equal(quoted, SlurmJobScripts.Quote(word));

    [Theory]
    [InlineData("--emit|pbs|DIR", "error: --emit pbs: only 'slurm' is supported")]
    [InlineData("--cell|1|--collect", "error: use only one of --emit, --cell and --collect")]
    [InlineData("--cell|3", "error: --cell 3: the grid has 3 cells, numbered 0 to 2")]
    [InlineData("--collect", "error: none of the 3 cells has a result.json: 0 (supervised-labeled2-seed3), 1 (supervised-labeledall-seed3), 2 (pmcm-labeled2-seed3)")]
    [InlineData("--slurm-gpus|1", "error: --slurm-gpus applies to --emit slurm only")]
    [InlineData("--emit|slurm|DIR|--slurm-time|1 h", "error: --slurm-time '1 h': Slurm options and log paths cannot be empty or contain spaces")]
    public void BadModesAreOneLineErrors(string mode, string error) // mode: arguments separated by |
    {
        var (exit, _, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, Data(), _temp.File("out"), mode.Replace("DIR", _temp.File("jobs")).Split('|')));
        Assert.Equal(1, exit);
        Assert.Equal(error, stderr.Trim());
        Assert.False(File.Exists(_temp.File("jobs/cells.sbatch")));
    }

    private string Data() => Directory.Exists(_temp.File("data")) ? _temp.File("data") : TinyGrid.WriteData(_temp.File("data"));
}
