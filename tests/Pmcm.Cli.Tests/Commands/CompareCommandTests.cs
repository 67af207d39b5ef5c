using System.Text.Json;
using Pmcm.Core.Metrics;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Experiments;

namespace Pmcm.Cli.Tests.Commands;

/// <summary>`pmcm compare` on hand-made grid folders (result.json and run.json per cell; nothing trained).</summary>
[Collection("Console")]
public sealed class CompareCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    // A finished cell with two validation cases, a and b (Jaccard = Dice, ASD = HD95 / 2), and the scores of their
    // largest components if given.
    private void Cell(string grid, string method, int seed, bool standardise, (double Dice, double Hd95) a, (double Dice, double Hd95) b,
        (double Dice, double Hd95)[]? largest = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, grid, $"{method}-labeled8-seed{seed}")).FullName;
        static List<SegmentationScores> Scores(IEnumerable<(double Dice, double Hd95)> cases) =>
            cases.Select(c => new SegmentationScores(c.Dice, c.Dice, c.Hd95, c.Hd95 / 2, false, false)).ToList();
        var result = new ExperimentResult(method, "8", seed, 8, ["a", "b"], Scores([a, b]), 60, 3000, LargestComponentScores: largest is null ? null : Scores(largest));
        File.WriteAllText(Path.Combine(folder, ExperimentRunner.ResultFile), JsonSerializer.Serialize(result));
        new RunRecord { Method = method, Iterations = 3000, Seed = seed, NFilters = 8, Classes = 2, Patch = new Shape3(48, 48, 32), Stride = new Shape3(18, 18, 4), Standardise = standardise }
            .Write(new RunFiles(folder).Record);
    }

    private void TwoGrids()
    {
        Cell("variant", "pmcm", 1, true, (0.8, 4), (0.6, 6));
        Cell("variant", "pmcm", 2, true, (0.7, 5), (0.5, 5));
        Cell("main", "supervised", 1, false, (0.6, 8), (0.6, 6));
        Cell("main", "supervised", 2, false, (0.5, 10), (0.3, 10));
        Cell("main", "supervised", 3, false, (0.9, 1), (0.9, 1));
    }

    [Fact]
    public void Pairs_a_row_of_one_grid_with_a_row_of_another_by_seed_and_case_and_names_the_settings_that_differ()
    {
        TwoGrids();
        var (exit, stdout, stderr) = CliHarness.Run("compare", "--grid", _temp.File("variant"), "--row", "pmcm:8",
            "--baseline-grid", _temp.File("main"), "--baseline-row", "supervised:8", "--json");
        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        // Seed 3 has no partner. Pairs (seed, case): Dice differences 0.2, 0, 0.2, 0.2 → mean 0.15; HD95 −4, 0, −5, −5 → −3.5;
        // HD95 ratio of means 5 / 8.5.
        Assert.Equal(2, json.GetProperty("paired_seeds").GetInt32());
        Assert.Equal(2, json.GetProperty("cases").GetInt32());
        Assert.Equal(0.15, json.GetProperty("dice").GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(-3.5, json.GetProperty("hd95").GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(5 / 8.5, json.GetProperty("hd95_ratio").GetProperty("estimate").GetDouble(), 12);
        var dice = json.GetProperty("dice");
        Assert.InRange(0.15, dice.GetProperty("low").GetDouble(), dice.GetProperty("high").GetDouble());
        // Drawing cases keeps both seeds: b twice gives 0.1 at worst. Drawing seeds too, seed 1 twice with b twice
        // (1/16 of the resamples) gives 0: the interval widens from [0.1, 0.2] to [0, 0.2].
        Assert.Equal(0.1, dice.GetProperty("low").GetDouble(), 12);
        var overSeeds = json.GetProperty("dice_over_seeds");
        Assert.Equal(0, overSeeds.GetProperty("low").GetDouble(), 12);
        Assert.Equal(0.2, overSeeds.GetProperty("high").GetDouble(), 12);
        Assert.Equal(["true", "false"], json.GetProperty("settings_differ").GetProperty("standardise").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([1, 2, 3], json.GetProperty("baseline").GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32()));

        (exit, stdout, stderr) = CliHarness.Run("compare", "--grid", _temp.File("variant"), "--row", "pmcm:8",
            "--baseline-grid", _temp.File("main"), "--baseline-row", "supervised:8");
        Assert.True(exit == 0, stderr);
        Assert.Contains("paired over 2 seeds × 2 validation cases", stdout);
        Assert.Contains("settings differ: standardise true against false", stdout);
        Assert.Contains("+15.00 [", stdout);
        Assert.Contains("and over seeds and cases (the run-to-run spread too)", stdout);
        Assert.Contains("+15.00 [0.00, +20.00]", stdout);
    }

    [Fact]
    public void Lcc_pairs_the_largest_component_scores_and_names_the_runs_that_kept_none()
    {
        Cell("main", "pmcm", 1, false, (0.8, 9), (0.6, 9), largest: [(0.85, 3), (0.7, 4)]);
        Cell("main", "supervised", 1, false, (0.6, 8), (0.6, 6), largest: [(0.6, 6), (0.65, 4)]);
        string[] arguments = ["compare", "--grid", _temp.File("main"), "--row", "pmcm:8", "--baseline-row", "supervised:8"];
        var (exit, stdout, stderr) = CliHarness.Run([.. arguments, "--lcc", "--json"]);
        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        // Largest components: Dice differences 0.25 and 0.05; HD95 ratio (3 + 4) / (6 + 4). As predicted: 0.1 and 18 / 14.
        Assert.True(json.GetProperty("largest_component").GetBoolean());
        Assert.Equal(0.15, json.GetProperty("dice").GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(0.7, json.GetProperty("hd95_ratio").GetProperty("estimate").GetDouble(), 12);
        (exit, stdout, stderr) = CliHarness.Run([.. arguments, "--json"]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(0.1, JsonDocument.Parse(stdout).RootElement.GetProperty("dice").GetProperty("estimate").GetDouble(), 12);
        (exit, stdout, _) = CliHarness.Run([.. arguments, "--lcc"]);
        Assert.Contains("scored on each prediction's largest connected component", stdout);

        // A result.json from before those scores were kept: an error naming it and saying how to add them.
        Cell("main", "pmcm", 2, false, (0.8, 9), (0.6, 9), largest: [(0.85, 3), (0.7, 4)]);
        Cell("main", "supervised", 2, false, (0.6, 8), (0.6, 6));
        (exit, _, stderr) = CliHarness.Run([.. arguments, "--lcc"]);
        Assert.Equal(1, exit);
        Assert.Contains("supervised-labeled8-seed2 kept no largest-component scores", stderr);
        Assert.Contains("`pmcm experiment --collect` on that grid adds them", stderr);
    }

    [Fact]
    public void Cases_left_out_by_name_or_a_unique_start_drop_from_every_pair()
    {
        TwoGrids();
        var (exit, stdout, stderr) = CliHarness.Run("compare", "--grid", _temp.File("variant"), "--row", "pmcm:8",
            "--baseline-grid", _temp.File("main"), "--baseline-row", "supervised:8", "--without-cases", "b", "--json");
        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        // Case a only: Dice differences 0.2 and 0.2; HD95 4 + 5 against 8 + 10.
        Assert.Equal(1, json.GetProperty("cases").GetInt32());
        Assert.Equal(["b"], json.GetProperty("cases_left_out").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0.2, json.GetProperty("dice").GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(9 / 18.0, json.GetProperty("hd95_ratio").GetProperty("estimate").GetDouble(), 12);

        (exit, stdout, stderr) = CliHarness.Run("compare", "--grid", _temp.File("variant"), "--row", "pmcm:8",
            "--baseline-grid", _temp.File("main"), "--baseline-row", "supervised:8", "--without-cases", "a");
        Assert.True(exit == 0, stderr);
        Assert.Contains("left out: a", stdout);
        Assert.Contains("+10.00 [", stdout); // case b: 0 and 0.2

        (exit, _, stderr) = CliHarness.Run("compare", "--grid", _temp.File("main"), "--row", "supervised:8", "--baseline-row", "supervised:8", "--without-cases", "c");
        Assert.Equal(1, exit);
        Assert.Contains("--without-cases: 'c' is no validation case of these rows (a, b)", stderr);
        (exit, _, stderr) = CliHarness.Run("compare", "--grid", _temp.File("main"), "--row", "supervised:8", "--baseline-row", "supervised:8", "--without-cases", "a,b");
        Assert.Equal(1, exit);
        Assert.Contains("share no seed and validation case to pair", stderr);
    }

    [Fact]
    public void Given_seeds_limit_the_pairs_and_a_missing_row_or_no_common_pair_is_a_one_line_error()
    {
        TwoGrids();
        var (exit, stdout, stderr) = CliHarness.Run("compare", "--grid", _temp.File("variant"), "--row", "pmcm:8",
            "--baseline-grid", _temp.File("main"), "--baseline-row", "supervised:8", "--seeds", "2", "--json");
        Assert.True(exit == 0, stderr);
        // Seed 2 only: differences 0.2 and 0.2; with one seed there is no run-to-run spread to draw.
        Assert.Equal(0.2, JsonDocument.Parse(stdout).RootElement.GetProperty("dice").GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(stdout).RootElement.GetProperty("dice_over_seeds").ValueKind);

        (exit, _, stderr) = CliHarness.Run("compare", "--grid", _temp.File("main"), "--row", "mcnet:8", "--baseline-row", "supervised:8");
        Assert.Equal(1, exit);
        Assert.Contains("row mcnet:8 has no finished cell", stderr);
        Assert.Contains("mcnet-labeled8-seed", stderr);

        (exit, _, stderr) = CliHarness.Run("compare", "--grid", _temp.File("variant"), "--row", "pmcm:8",
            "--baseline-grid", _temp.File("main"), "--baseline-row", "supervised:8", "--seeds", "3");
        Assert.Equal(1, exit);
        Assert.Contains("has no finished cell", stderr);

        (exit, _, stderr) = CliHarness.Run("compare", "--grid", _temp.File("main"), "--row", "supervised:8,pmcm:8", "--baseline-row", "supervised:8");
        Assert.Equal(1, exit);
        Assert.Contains("--row 'supervised:8,pmcm:8': give one row", stderr);

        (exit, _, stderr) = CliHarness.Run("compare", "--grid", _temp.File("main"), "--row", "supervised:8", "--baseline-row", "unet:8");
        Assert.Equal(1, exit);
        Assert.Contains("--baseline-row: unknown method 'unet'", stderr);

        var result = Path.Combine(_temp.File("main"), "supervised-labeled8-seed1", ExperimentRunner.ResultFile);
        File.WriteAllText(result, File.ReadAllText(result)[..40]);
        (exit, _, stderr) = CliHarness.Run("compare", "--grid", _temp.File("variant"), "--row", "pmcm:8",
            "--baseline-grid", _temp.File("main"), "--baseline-row", "supervised:8");
        Assert.Equal(1, exit);
        Assert.Contains($"{result}: unreadable result", stderr);
    }
}
