using System.Globalization;
using System.Text.Json;
using Pmcm.Core.Metrics;
using Pmcm.Learning.Experiments;
using SkiaSharp;

namespace Pmcm.Cli.Tests.Reports;

/// <summary>
/// `pmcm experiment --report PATH` on a tiny grid of supervised and pmcm with 2 labeled over seeds 1 and 2: the
/// Markdown's numbers are the result.json files' (over seeds, paired by seed and case), its pictures decode and sit in
/// the folder named after PATH, and a grid with a cell missing is still reported.
/// </summary>
[Collection("Console")]
public sealed class ExperimentMarkdownTests : IDisposable
{
    private const string Grid = "--methods supervised,pmcm --labeled 2 --seeds 1,2";
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Report_holds_the_table_over_seeds_the_paired_interval_and_its_pictures()
    {
        var data = TinyGrid.WriteData(_temp.File("data"));
        var output = _temp.File("experiment");
        var report = _temp.File("docs/tiny report.md");
        var (exit, stdout, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, data, output, "--report", report));
        Assert.True(exit == 0, stderr);
        Assert.Contains("| method | labeled | Dice (%) |", stdout);
        var md = File.ReadAllText(report);
        // The scale names what was validated: the default weight average, at the paper's constant rate.
        Assert.Contains("lr 0.01 (constant)", md);
        Assert.Contains("of the weight average (decay 0.99)", md);

        // The table: each seed's mean over its cases, then mean ± sample std over the two seeds.
        var results = new[] { "supervised-labeled2-seed1", "supervised-labeled2-seed2", "pmcm-labeled2-seed1", "pmcm-labeled2-seed2" }
            .ToDictionary(cell => cell, cell => Result(output, cell));
        var seedMeans = new[] { results["pmcm-labeled2-seed1"], results["pmcm-labeled2-seed2"] }.Select(r => 100 * r.Scores.Average(s => s.Dice)).ToArray();
        var mean = seedMeans.Average();
        var std = Math.Sqrt(seedMeans.Sum(v => (v - mean) * (v - mean)));
        Assert.Contains(Invariant($"| pmcm | 2 | {mean:F2} ± {std:F2} |"), md);

        // The paired comparison: pmcm − supervised over the four (seed, case) pairs, with the report's bootstrap,
        // which draws cases (each with both its seeds' pairs).
        var (a, b, cases, seeds) = (new List<double>(), new List<double>(), new List<string>(), new List<string>());
        foreach (var seed in new[] { 1, 2 })
        {
            var (mine, theirs) = (results[$"pmcm-labeled2-seed{seed}"], results[$"supervised-labeled2-seed{seed}"]);
            foreach (var name in mine.Cases.Order(StringComparer.Ordinal))
            {
                a.Add(mine.Scores[mine.Cases.ToList().IndexOf(name)].Dice);
                b.Add(theirs.Scores[theirs.Cases.ToList().IndexOf(name)].Dice);
                cases.Add(name);
                seeds.Add(Invariant($"{seed}"));
            }
        }
        var dice = new PairedBootstrap().MeanDifference(a, b, cases);
        // The next column draws the seeds as well as the cases.
        var overSeeds = new PairedBootstrap().MeanDifference(a, b, cases, seeds);
        Assert.Contains(Invariant($"| pmcm | supervised | 2 | 4 (2 × 2) | {Signed(100 * dice.Estimate)} [{Signed(100 * dice.Low)}, {Signed(100 * dice.High)}] | {Signed(100 * overSeeds.Estimate)} [{Signed(100 * overSeeds.Low)}, {Signed(100 * overSeeds.High)}] |"), md);

        // Pictures beside the report, in the folder named after its stem, linked relatively.
        Assert.Contains("![validation curves](tiny%20report/validation-curves.png)", md);
        Assert.Contains("![best and worst validation cases](tiny%20report/overlays.png)", md);
        using var curves = SKBitmap.Decode(_temp.File("docs/tiny report/validation-curves.png"));
        Assert.True(curves.Width > 0 && curves.Height > 0);
        // Best and worst case of seed 1 for pmcm and for supervised: four strips, each naming its run and case.
        using var overlays = SKBitmap.Decode(_temp.File("docs/tiny report/overlays.png"));
        Assert.True(overlays.Height > 4 * 32);
        foreach (var (method, which) in new[] { ("pmcm", "best"), ("pmcm", "worst"), ("supervised", "best"), ("supervised", "worst") })
            Assert.Contains($"- {method}, 2 labeled, seed 1, {which} case ", md);
        Assert.Contains("**pmcm, 2 labeled** (2 runs)", md); // the training dynamics of the pmcm row

        // The same table again from the scores of each prediction's largest connected component.
        var largestMeans = new[] { results["pmcm-labeled2-seed1"], results["pmcm-labeled2-seed2"] }.Select(r => 100 * r.LargestComponentScores!.Average(s => s.Dice)).ToArray();
        var largestMean = largestMeans.Average();
        var largestStd = Math.Sqrt(largestMeans.Sum(v => (v - largestMean) * (v - largestMean)));
        var largest = md[md.IndexOf("\n## Scored on the largest connected component\n", StringComparison.Ordinal)..md.IndexOf("\n## Validation curves", StringComparison.Ordinal)];
        Assert.Contains(Invariant($"| pmcm | 2 | {largestMean:F2} ± {largestStd:F2} |"), largest);
        Assert.Contains("| pmcm | supervised | 2 | 4 (2 × 2) |", largest);

        // Each run's Dice on each validation case, in the order the run scored them.
        var seed1 = results["pmcm-labeled2-seed1"];
        var cells = seed1.Scores.Select(sc => Invariant($"{100 * sc.Dice:F0}") + (sc.EmptyPrediction ? " E" : ""));
        Assert.Contains($"| pmcm-labeled2-seed1 | {string.Join(" | ", cells)} |", md);

        // A cell gone: collect still reports the rest and says what is missing. Findings written by hand go in
        // after the grid's description, and the command line that regenerates the report names their file.
        File.Delete(Path.Combine(output, "pmcm-labeled2-seed2", ExperimentRunner.ResultFile));
        var findings = _temp.File("findings.md");
        File.WriteAllText(findings, "## Findings\n\nPMCM wins on **case_b** only.\n\n");
        (exit, _, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, data, output, "--report", report, "--collect", "--findings", findings));
        Assert.True(exit == 0, stderr);
        md = File.ReadAllText(report);
        var (scale, found, resultsAt) = (md.IndexOf("- **Scale:**", StringComparison.Ordinal), md.IndexOf("## Findings\n\nPMCM wins on **case_b** only.\n", StringComparison.Ordinal), md.IndexOf("## Results", StringComparison.Ordinal));
        Assert.True(scale >= 0 && scale < found && found < resultsAt, md);
        Assert.Contains($"--findings {findings}", md);
        Assert.Contains("**Missing:** 1 of 4 runs have no result yet (not run, running, or failed) and are left out: 3 (pmcm-labeled2-seed2).", md);
        Assert.Contains(Invariant($"| pmcm | 2 | {seedMeans[0]:F2} ± n/a |"), md);
        Assert.Contains("| pmcm | supervised | 2 | 2 (2 × 1) |", md);

        // Weights gone from a run (a grid restored from its published small files): its row is drawn from the next
        // seed that kept them, and a row with none left is named.
        string CollectWithoutWeightsOf(string cell)
        {
            File.Delete(Path.Combine(output, cell, "best.pth"));
            var (code, _, error) = CliHarness.Run(TinyGrid.Arguments(Grid, data, output, "--report", report, "--collect"));
            Assert.True(code == 0, error);
            return File.ReadAllText(report);
        }
        md = CollectWithoutWeightsOf("supervised-labeled2-seed1");
        Assert.Contains("- supervised, 2 labeled, seed 2, best case ", md);
        Assert.Contains("- pmcm, 2 labeled, seed 1, best case ", md);
        Assert.DoesNotContain("Not drawn", md);
        md = CollectWithoutWeightsOf("supervised-labeled2-seed2");
        Assert.Contains("Not drawn: supervised (2 labeled): no finished seed kept its best.pth", md);
        Assert.DoesNotContain("- supervised, 2 labeled", md);

        // A scarcer labeled count with no run yet: the picture is drawn at the lowest count that has one.
        (exit, _, stderr) = CliHarness.Run(TinyGrid.Arguments("--methods supervised,pmcm --labeled 1,2 --seeds 1,2", data, output, "--report", report, "--collect"));
        Assert.True(exit == 0, stderr);
        md = File.ReadAllText(report);
        Assert.Contains("- pmcm, 2 labeled, seed 1, best case ", md);
        Assert.Contains("Not drawn: supervised (2 labeled): no finished seed kept its best.pth", md);
    }

    private static ExperimentResult Result(string output, string cell) =>
        JsonSerializer.Deserialize<ExperimentResult>(File.ReadAllText(Path.Combine(output, cell, ExperimentRunner.ResultFile)))!;

    private static string Signed(double v) => (v > 0 ? "+" : "") + v.ToString("F2", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("--rows supervised:2 --methods pmcm", "without --methods and --labeled")]
    [InlineData("--rows supervised:2,pmcm:all", "supervised method only")]
    [InlineData("--rows supervised:2 --findings no-such-findings.md", "--findings no-such-findings.md: no such file")]
    [InlineData("--rows supervised:2,mcnet:2 --loss-weights gamma=1", "--loss-weights gamma=1: no row of the grid trains PMCM's objective")]
    [InlineData("--rows pmcm:2 --loss-weights gamma=-1", "--loss-weights gamma='-1': a weight must be a finite number, 0 or more")]
    public void Listed_rows_are_checked_before_anything_trains(string grid, string expected)
    {
        var output = _temp.File("refused");
        var (exit, _, stderr) = CliHarness.Run(TinyGrid.Arguments(grid, _temp.File("no-data"), output));
        Assert.NotEqual(0, exit);
        Assert.Contains(expected, stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Loss_weights_reach_the_PMCM_rows_of_a_grid_and_its_report_but_not_its_baselines()
    {
        var data = TinyGrid.WriteData(_temp.File("data"));
        var output = _temp.File("weighted");
        var report = _temp.File("weighted.md");
        var (exit, _, stderr) = CliHarness.Run(TinyGrid.Arguments("--rows supervised:2,pmcm:2 --seeds 1", data, output, "--report", report, "--loss-weights", "mu=0,gamma=0.5"));
        Assert.True(exit == 0, stderr);

        Assert.Equal("gamma=0.5,mu=0", Pmcm.Core.Runs.RunRecord.ReadFolder(Path.Combine(output, "pmcm-labeled2-seed1")).LossWeights);
        Assert.Equal("paper", Pmcm.Core.Runs.RunRecord.ReadFolder(Path.Combine(output, "supervised-labeled2-seed1")).LossWeights);
        var md = File.ReadAllText(report);
        Assert.Contains("loss weights gamma=0.5,mu=0 (the rest the paper's)", md);
        Assert.Single(md.Split('\n'), line => line.Contains("loss weights"));
    }
}
