using System.Text.Json;
using Pmcm.Learning.Experiments;
using Pmcm.Learning.Tests.Training;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Tests.Experiments;

public class ExperimentRunnerTests
{
    [Fact]
    public void Tiny_grid_runs_each_cell_once_and_its_report_reads_the_run_folders()
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var grid = new ExperimentOptions(
            TinyDataset.Options(data, temp.File("experiment"), 2),
            [TrainingMethod.Supervised, TrainingMethod.Pmcm],
            LabeledCount.ParseList("2,all"),
            [5]);
        // "all" labeled applies to the supervised baseline only: three cells, not four.
        Assert.Equal(["supervised-labeled2-seed5", "supervised-labeledall-seed5", "pmcm-labeled2-seed5"], grid.Cells().Select(c => c.Name));

        var results = new ExperimentRunner(grid).Run();
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal(2, r.Scores.Count)); // the 2 validation cases, never the test list
        Assert.Equal(4, results.Single(r => r.Labeled == "all").LabeledCases);
        // Each run's time is its logs' (iterations and validations), so a resumed run's sessions all count.
        Assert.All(results, r => Assert.True(r.WholeRunTimed));
        Assert.All(results, r => Assert.Equal(Pmcm.Core.Runs.RunTime.Seconds(new Pmcm.Core.Runs.RunFiles(temp.File($"experiment/{r.Method}-labeled{r.Labeled}-seed5")))!.Value, r.TrainingSeconds));
        Assert.All(results, r => Assert.True(r.TrainingSeconds > 0));
        Assert.All(results, r => Assert.Equal(2, r.LargestComponentScores!.Count)); // the same predictions, cut to their largest component

        var report = ExperimentReport.Of(new ExperimentRunner(grid).Collect());
        Assert.Equal([("supervised", 2), ("supervised", 4), ("pmcm", 2)], report.Rows.Select(r => (r.Method, r.LabeledCases)));
        Assert.All(report.Rows, r => Assert.Equal([2], r.Iterations)); // from each run's run.json
        Assert.Equal(3, report.Curves.Count); // from each run's validation.csv
        Assert.All(report.Curves, c => Assert.Equal(2L, c.Points[^1].Iteration));
        Assert.All(results.Zip(report.LargestComponent!.Rows), p => Assert.Equal(p.First.LargestComponentScores!.Average(s => s.Dice), p.Second.Dice.Mean, 1e-12));

        // A second run finds every cell finished and trains nothing.
        var skipped = new List<string>();
        var again = new ExperimentRunner(grid) { Log = skipped.Add }.Run();
        Assert.Equal(3, skipped.Count(line => line.EndsWith("finished earlier, skipped", StringComparison.Ordinal)));
        Assert.Equal(results.Select(r => r.Scores[0].Dice), again.Select(r => r.Scores[0].Dice));

        // A result.json stored before the largest-component scores were kept gets them from its best.pth, exactly as
        // training would have scored them; a cell without best.pth is left as it is.
        string Result(string cell) => temp.File($"experiment/{cell}/{ExperimentRunner.ResultFile}");
        foreach (var cell in new[] { "supervised-labeled2-seed5", "pmcm-labeled2-seed5" })
            File.WriteAllText(Result(cell), JsonSerializer.Serialize(results.Single(r => cell.StartsWith(r.Method + "-labeled" + r.Labeled, StringComparison.Ordinal)) with { LargestComponentScores = null }, Json));
        File.Delete(temp.File("experiment/pmcm-labeled2-seed5/best.pth"));
        var log = new List<string>();
        Assert.Equal(1, new ExperimentRunner(grid) { Log = log.Add }.AddLargestComponentScores());
        Assert.Equal(["supervised-labeled2-seed5: scored on each prediction's largest connected component too (kept in result.json)"], log);
        var restored = JsonSerializer.Deserialize<ExperimentResult>(File.ReadAllText(Result("supervised-labeled2-seed5")), Json)!;
        Assert.Equal(results[0].LargestComponentScores, restored.LargestComponentScores);
        Assert.Equal(results[0].Scores, restored.Scores);
        var partial = ExperimentReport.Of(new ExperimentRunner(grid).Collect());
        Assert.Null(partial.LargestComponent); // not every cell has the scores: no half-and-half table
        Assert.Equal(["pmcm-labeled2-seed5"], partial.WithoutLargestComponent);

        // Stored scores that segmenting again does not reproduce stay as stored, with a warning that says by how much.
        var changed = results[0] with { Scores = [results[0].Scores[0] with { Dice = results[0].Scores[0].Dice + 0.25 }, results[0].Scores[1]], LargestComponentScores = null };
        File.WriteAllText(Result("supervised-labeled2-seed5"), JsonSerializer.Serialize(changed, Json));
        log.Clear();
        Assert.Equal(1, new ExperimentRunner(grid) { Log = log.Add }.AddLargestComponentScores());
        Assert.Contains("supervised-labeled2-seed5: warning: segmenting the validation cases again gave other scores than result.json holds (Dice differs by up to 0.25 on a case)", log[0]);
        Assert.Equal(changed.Scores, JsonSerializer.Deserialize<ExperimentResult>(File.ReadAllText(Result("supervised-labeled2-seed5")), Json)!.Scores);
    }

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void Labeled_counts_are_numbers_or_all()
    {
        Assert.Equal([new LabeledCount(8), LabeledCount.All], LabeledCount.ParseList("8, all"));
        var error = Assert.Throws<Pmcm.Core.PmcmException>(() => LabeledCount.ParseList("8,many"));
        Assert.Contains("'many'", error.Message);
    }
}
