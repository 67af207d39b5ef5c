using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pmcm.Cli.Tests.Slurm;

/// <summary>
/// `pmcm experiment --emit slurm` against a real one-node Slurm (slurmctld + slurmd + munged): the grid is
/// submitted with sbatch, waited for with squeue, and every cell must score exactly what the same grid scores
/// when run here; a failed cell is named by the collect job, resubmitted alone, and finished cells are skipped.
/// </summary>
[Collection("Console")]
public sealed class SlurmExperimentTests : IDisposable
{
    // Cells: 0 supervised-labeled2-seed3, 1 supervised-labeledall-seed3, 2 pmcm-labeled2-seed3.
    private const string Grid = "--methods supervised,pmcm --labeled 2,all --seeds 3";
    private static readonly string[] Cells = ["supervised-labeled2-seed3", "supervised-labeledall-seed3", "pmcm-labeled2-seed3"];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [SlurmFact]
    public void GridOnSlurmScoresEveryCellAsHereAndAFailedCellIsResubmittedAlone()
    {
        SlurmCluster.Start();
        var data = TinyGrid.WriteData(_temp.File("data"));
        var onSlurm = _temp.File("on-slurm");
        var jobs = _temp.File("jobs");
        var (exit, stdout, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, data, onSlurm, "--emit", "slurm", jobs, "--slurm-time", "00:15:00", "--slurm-mem", "2G"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("3 cells; submit them with " + Path.Combine(jobs, "submit.sh"), stdout);

        // A file where cell 2's run folder goes makes that task fail.
        var blocker = Path.Combine(Directory.CreateDirectory(onSlurm).FullName, Cells[2]);
        File.WriteAllText(blocker, "in the way");
        var (cellsJob, collectJob) = Submit(jobs);
        SlurmCluster.WaitFor([cellsJob, collectJob], Timeout);
        Assert.Equal(new Dictionary<string, string> { ["0"] = "COMPLETED", ["1"] = "COMPLETED", ["2"] = "FAILED" }, SlurmCluster.States(cellsJob));
        // The collect job reports the two finished cells and names the failed one.
        Assert.Equal("COMPLETED", SlurmCluster.States(collectJob)[""]);
        Assert.Contains($"1 of 3 cells have no result.json, reported without them: 2 ({Cells[2]})", File.ReadAllText(Path.Combine(jobs, "logs", $"collect-{collectJob}.log")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(onSlurm, "results.csv")).Length);

        // Cell 2 alone, then the collect job again; cells 0 and 1 are not touched.
        File.Delete(blocker);
        var firstLog = File.ReadAllText(Path.Combine(jobs, "logs", "cell-0.log"));
        (cellsJob, collectJob) = Submit(jobs, "2");
        SlurmCluster.WaitFor([cellsJob, collectJob], Timeout);
        Assert.Equal(new Dictionary<string, string> { ["2"] = "COMPLETED" }, SlurmCluster.States(cellsJob));
        Assert.Equal("COMPLETED", SlurmCluster.States(collectJob)[""]);
        Assert.Equal(firstLog, File.ReadAllText(Path.Combine(jobs, "logs", "cell-0.log")));
        foreach (var file in new[] { "results.md", "results.csv", "results.png", "index.html" })
            Assert.True(File.Exists(Path.Combine(onSlurm, file)), file);

        // The whole array once more: every cell finished, so every task skips it.
        (cellsJob, collectJob) = Submit(jobs);
        SlurmCluster.WaitFor([cellsJob, collectJob], Timeout);
        for (var i = 0; i < Cells.Length; i++)
            Assert.Contains($"{Cells[i]}: finished earlier, skipped", File.ReadAllText(Path.Combine(jobs, "logs", $"cell-{i}.log")));

        // The same grid here: the same scores, cell by cell, to the last bit.
        var here = _temp.File("here");
        (exit, _, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, data, here));
        Assert.True(exit == 0, stderr);
        foreach (var cell in Cells)
        {
            using var slurm = JsonDocument.Parse(File.ReadAllText(Path.Combine(onSlurm, cell, "result.json")));
            using var local = JsonDocument.Parse(File.ReadAllText(Path.Combine(here, cell, "result.json")));
            foreach (var field in new[] { "Scores", "Cases", "LabeledCases", "BestIteration" })
                Assert.Equal(local.RootElement.GetProperty(field).GetRawText(), slurm.RootElement.GetProperty(field).GetRawText());
        }
        // And the same table, but for the minutes each run took.
        static IEnumerable<string> WithoutMinutes(string csv)
        {
            var lines = File.ReadAllLines(csv);
            var minutes = Array.IndexOf(lines[0].Split(','), "minutes_per_run");
            return lines.Select(line => string.Join(',', line.Split(',').Where((_, i) => i != minutes)));
        }
        Assert.Equal(WithoutMinutes(Path.Combine(here, "results.csv")), WithoutMinutes(Path.Combine(onSlurm, "results.csv")));
    }

    private static (string Cells, string Collect) Submit(string jobs, params string[] cells)
    {
        var (exit, output) = SlurmCluster.Run("bash", [Path.Combine(jobs, "submit.sh"), .. cells]);
        Assert.True(exit == 0, $"submit.sh: {output}");
        var match = Regex.Match(output, @"cells: job (\d+) \(array [^)]+\); collect: job (\d+)");
        Assert.True(match.Success, output);
        return (match.Groups[1].Value, match.Groups[2].Value);
    }
}
