using System.Text.Json;
using Pmcm.Core.Metrics;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Experiments;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Tests.Experiments;

/// <summary>
/// The report's numbers from hand-made run folders (result.json, run.json, validation.csv, log.csv; no training):
/// a grid of supervised, mcnet and pmcm at 2 labeled (supervised also at all) over seeds 1, 2, 3, of which only
/// seeds 1 and 2 of supervised and pmcm, seed 1 of mcnet and of supervised-all have finished.
/// </summary>
public sealed class ExperimentReportTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly ExperimentOptions _grid;

    public ExperimentReportTests()
    {
        _grid = new ExperimentOptions(
            new TrainingOptions { DataDirectory = _temp.File("data"), RunDirectory = _temp.File("experiment") },
            [TrainingMethod.Supervised, TrainingMethod.McNet, TrainingMethod.Pmcm], LabeledCount.ParseList("2,all"), [1, 2, 3]);
        // (case, Dice, HD95); pmcm lists its cases in the other order, so pairing must go by name.
        Cell("supervised", "2", 1, 100, ("a", 0.6, 10), ("b", 0.8, 6));
        Cell("supervised", "2", 2, 100, ("a", 0.5, 12), ("b", 0.7, 8));
        Cell("supervised", "all", 1, 100, ("a", 0.9, 5), ("b", 0.9, 5));
        Cell("mcnet", "2", 1, 100, ("a", 0.5, 10), ("b", 0, 0));
        Cell("pmcm", "2", 1, 100, ("b", 0.9, 4), ("a", 0.7, 8));
        Cell("pmcm", "2", 2, 150, ("b", 0.8, 7), ("a", 0.6, 9));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Collect_returns_the_finished_cells_and_names_the_missing_ones()
    {
        var grid = new ExperimentRunner(_grid).Collect();
        Assert.Equal(["supervised-labeled2-seed1", "supervised-labeled2-seed2", "supervised-labeledall-seed1", "mcnet-labeled2-seed1", "pmcm-labeled2-seed1", "pmcm-labeled2-seed2"],
            grid.Finished.Select(c => c.Cell.Name));
        Assert.Equal([2, 4, 5, 7, 8, 11], grid.Missing.Select(m => m.Index));
        Assert.Equal("2 (supervised-labeled2-seed3), 4 (supervised-labeledall-seed2)", ExperimentRunner.Describe(grid.Missing.Take(2)));
    }

    [Fact]
    public void Rows_average_each_seeds_case_mean_then_spread_over_seeds()
    {
        var rows = ExperimentReport.Of(new ExperimentRunner(_grid).Collect()).Rows;
        var supervised = rows[0];
        Assert.Equal(("supervised", "2"), (supervised.Method, supervised.Labeled));
        // Seed means 0.7 and 0.6: mean 0.65, sample std √(2 · 0.05²) = 0.0707 (pooling the four cases would give 0.112).
        Assert.Equal(0.65, supervised.Dice.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(2 * 0.05 * 0.05), supervised.Dice.Std, 1e-12);
        Assert.Equal(9, supervised.Hd95.Mean, 1e-12); // seed means 8 and 10
        Assert.Equal(Math.Sqrt(2), supervised.Hd95.Std, 1e-12);
        Assert.Equal([1, 2], supervised.Seeds);
        Assert.Equal((4, 0), (supervised.Cases, supervised.EmptyPredictions));

        var mcnet = rows.Single(r => r.Method == "mcnet");
        Assert.Equal(0.25, mcnet.Dice.Mean, 1e-12);
        Assert.True(double.IsNaN(mcnet.Dice.Std)); // one seed: no spread
        Assert.Equal(1, mcnet.EmptyPredictions);

        var pmcm = rows.Single(r => r.Method == "pmcm");
        Assert.Equal([100, 150], pmcm.Iterations);
        Assert.Equal(0.75, pmcm.Dice.Mean, 1e-12);
        Assert.Equal(2.5, pmcm.MinutesPerRun, 1e-12); // every cell ran 150 s
    }

    [Fact]
    public void Comparisons_pair_the_same_seed_and_case()
    {
        var report = ExperimentReport.Of(new ExperimentRunner(_grid).Collect());
        Assert.Equal([("mcnet", "supervised"), ("pmcm", "supervised")], report.Comparisons.Select(c => (c.Method, c.Baseline)));

        var pmcm = report.Comparisons[1];
        // pmcm − supervised is +0.1 Dice on every (seed, case) pair, so the interval collapses onto it.
        Assert.Equal((4, 2, 2), (pmcm.Dice.Count, pmcm.Cases, pmcm.Seeds));
        Assert.Equal(0.1, pmcm.Dice.Estimate, 1e-12);
        Assert.Equal(0.1, pmcm.Dice.Low, 1e-12);
        Assert.Equal(0.1, pmcm.Dice.High, 1e-12);
        // HD95 differences −2 (case a) and −2 (b) under seed 1, −3 (a) and −1 (b) under seed 2. The bootstrap draws
        // cases, each with both its seeds: a and a give −2.5, a and b −2, b and b −1.5 (each at least a quarter of
        // the resamples), so the interval is exactly [−2.5, −1.5] where drawing pairs alone would reach −3 and −1.
        var hd95 = pmcm.Hd95!.Value;
        Assert.Equal(new BootstrapInterval(-2, -2.5, -1.5, 4), hd95);
        Assert.Equal(28.0 / 36, pmcm.Hd95Ratio!.Value.Estimate, 1e-12);
        Assert.Equal(new PairedBootstrap().RatioOfMeans([8, 4, 9, 7], [10, 6, 12, 8], ["a", "b", "a", "b"]), pmcm.Hd95Ratio);
        // Drawing the seeds too: seed 1's runs alone on case b twice give HD95 4 against 6, seed 2's alone on case b
        // twice 7 against 8 (each 1/16 > 2.5 % of the resamples), so the interval reaches out to 2/3 and 0.875, where
        // drawing cases alone keeps it within 17/22 and 11/14; Dice, +0.1 on every pair, stays put.
        Assert.Equal(new PairedBootstrap().RatioOfMeans([8, 4, 9, 7], [10, 6, 12, 8], ["a", "b", "a", "b"], ["1", "1", "2", "2"]), pmcm.Hd95RatioOverSeeds);
        Assert.Equal(2.0 / 3, pmcm.Hd95RatioOverSeeds!.Value.Low, 1e-12);
        Assert.Equal(0.875, pmcm.Hd95RatioOverSeeds.Value.High, 1e-12);
        Assert.Equal(17.0 / 22, pmcm.Hd95Ratio.Value.Low, 1e-12);
        Assert.Equal(11.0 / 14, pmcm.Hd95Ratio.Value.High, 1e-12);
        Assert.True(pmcm.Hd95RatioOverSeeds.Value.Low < pmcm.Hd95Ratio.Value.Low && pmcm.Hd95Ratio.Value.High < pmcm.Hd95RatioOverSeeds.Value.High);
        Assert.Equal(0.1, pmcm.DiceOverSeeds!.Value.Low, 1e-12);
        Assert.Equal(0.1, pmcm.DiceOverSeeds.Value.High, 1e-12);
        // Dice 0.75 against 0.65 with 0.9 for all labeled: 0.1 of the 0.25 gap.
        Assert.Equal(0.4, report.GapClosed(pmcm)!.Value, 1e-12);

        Assert.Equal(pmcm.Hd95Ratio, pmcm.Hd95RatioBothFound); // no empty prediction on either side
        Assert.Equal(4, pmcm.PairsBothFound);

        var mcnet = report.Comparisons[0];
        Assert.Equal((2, 1), (mcnet.Dice.Count, mcnet.Seeds)); // seed 1 only
        Assert.Null(mcnet.DiceOverSeeds); // one seed: no run-to-run spread to draw
        Assert.Null(mcnet.Hd95RatioOverSeeds);
        Assert.Equal(((0.5 - 0.6) + (0 - 0.8)) / 2, mcnet.Dice.Estimate, 1e-12);
        // MC-Net predicted nothing on case b, scored HD95 0: over all pairs its HD95 looks 10/16 of supervised's;
        // over the one pair where both found the atrium it is equal.
        Assert.Equal(10.0 / 16, mcnet.Hd95Ratio!.Value.Estimate, 1e-12);
        Assert.Equal(1.0, mcnet.Hd95RatioBothFound!.Value.Estimate, 1e-12);
        Assert.Equal(1, mcnet.PairsBothFound);
    }

    [Fact]
    public void Pmcm_is_compared_with_each_ablation_that_ran()
    {
        Cell("pmcm-no-pml", "2", 1, 100, ("a", 0.65, 8), ("b", 0.85, 4));
        var grid = _grid with { Rows = [.. _grid.Rows, new ExperimentGridRow(TrainingMethod.PmcmNoPml, new LabeledCount(2))] };
        var comparisons = ExperimentReport.Of(new ExperimentRunner(grid).Collect()).Comparisons;
        var ablation = comparisons.Single(c => c.Baseline == "pmcm-no-pml");
        Assert.Equal(("pmcm", "2", 2), (ablation.Method, ablation.Labeled, ablation.Dice.Count));
        Assert.Equal(0.05, ablation.Dice.Estimate, 1e-12);
        Assert.Equal(0, ablation.Hd95!.Value.Estimate, 1e-12);
    }

    [Fact]
    public void The_largest_component_report_rests_on_those_scores_once_every_cell_has_them()
    {
        var cells = new ExperimentRunner(_grid).Collect().Finished;
        Assert.Null(ExperimentReport.Of(new ExperimentRunner(_grid).Collect()).LargestComponent);
        // Cut to their largest component, predictions gain 0.1 Dice; supervised HD95 halves, pmcm's quarters.
        foreach (var cell in cells)
            LargestComponent(cell, s => s.EmptyPrediction ? s : s with { Dice = s.Dice + 0.1, Hd95 = s.Hd95 / (cell.Result.Method == "pmcm" ? 4 : 2) });

        var report = ExperimentReport.Of(new ExperimentRunner(_grid).Collect());

        Assert.Empty(report.WithoutLargestComponent);
        var largest = report.LargestComponent!;
        Assert.Equal(0.65, report.Rows[0].Dice.Mean, 1e-12); // the main table stays as predicted
        Assert.Equal(0.75, largest.Rows[0].Dice.Mean, 1e-12);
        Assert.Equal(4.5, largest.Rows[0].Hd95.Mean, 1e-12); // (5 + 3 + 6 + 4) / 4
        var pmcm = largest.Comparisons.Single(c => c.Method == "pmcm");
        Assert.Equal(0.1, pmcm.Dice.Estimate, 1e-12);
        Assert.Equal(1.75 / 4.5, pmcm.Hd95Ratio!.Value.Estimate, 1e-12); // pmcm (2 + 1 + 2.25 + 1.75) / 4 over 4.5
        Assert.Equal(7.0 / 9, report.Comparisons.Single(c => c.Method == "pmcm").Hd95Ratio!.Value.Estimate, 1e-12);
        Assert.EndsWith(",2.50,0.750000,0.070711,4.5000,0.7071", report.Csv().Split('\n')[1]); // the supervised row
    }

    [Fact]
    public void Validation_curves_average_the_seeds_at_each_iteration()
    {
        Validation("supervised-labeled2-seed1", (50, 0.4, 20), (100, 0.6, 10));
        Validation("supervised-labeled2-seed2", (50, 0.2, 30), (100, 0.8, 6));
        var curve = ExperimentReport.Of(new ExperimentRunner(_grid).Collect()).Curves.Single();
        Assert.Equal(("supervised", "2"), (curve.Method, curve.Labeled));
        Assert.Equal([50L, 100L], curve.Points.Select(p => p.Iteration));
        Assert.Equal(0.3, curve.Points[0].Dice, 1e-12);
        Assert.Equal(25, curve.Points[0].Hd95, 1e-12);
        Assert.Equal(0.7, curve.Points[1].Dice, 1e-12);
        Assert.Equal(2, curve.Points[1].Seeds);
    }

    [Fact]
    public void Training_dynamics_are_quarter_means_of_each_logged_column_over_the_pmcm_seeds()
    {
        // Seed 1 logs 1..8, seed 2 twice that: quarter means (1.5, 3.5, 5.5, 7.5) and (3, 7, 11, 15).
        Log("pmcm-labeled2-seed1", 1);
        Log("pmcm-labeled2-seed2", 2);
        Log("supervised-labeled2-seed1", 1); // not a PMCM row: not summarised
        var dynamics = ExperimentReport.Of(new ExperimentRunner(_grid).Collect()).Dynamics.Single();
        Assert.Equal(("pmcm", "2", 2), (dynamics.Method, dynamics.Labeled, dynamics.Runs));
        Assert.Equal(["total", "weight/p_weight"], dynamics.Terms.Select(t => t.Term));
        Assert.Equal([2.25, 5.25, 8.25, 11.25], dynamics.Terms[0].Means);
        Assert.Equal([0.5, 0.5, 0.5, 0.5], dynamics.Terms[1].Means);
    }

    [Fact]
    public void Late_dice_is_each_runs_mean_over_the_last_third_of_its_validations_then_over_seeds()
    {
        // Seed 1 validated at 100, 200, 300: only 300 lies past two thirds of the run. Seed 2's 250 and 300 do.
        Validation("supervised-labeled2-seed1", (100, 0.2, 20), (200, 0.4, 15), (300, 0.6, 10));
        Validation("supervised-labeled2-seed2", (100, 0.9, 20), (200, 0.9, 15), (250, 0.4, 12), (300, 0.6, 10));
        var rows = ExperimentReport.Of(new ExperimentRunner(_grid).Collect()).Rows;
        var supervised = rows[0];
        Assert.Equal(0.55, supervised.LateDice.Mean, 1e-12); // seed means 0.6 and 0.5, whatever the best checkpoints
        Assert.Equal(Math.Sqrt(2 * 0.05 * 0.05), supervised.LateDice.Std, 1e-12);
        Assert.Equal(0, rows.Single(r => r.Method == "mcnet").LateDice.Seeds); // no validation.csv: no value
    }

    [Fact]
    public void The_largest_gradient_is_found_with_its_iteration_and_ratio_to_the_median()
    {
        // Norms 1, 2, 3, 40, 5 at iterations 0..4: the largest 40 at 3; the median 3.
        var log = TrainingLog.Create(new RunFiles(Path.Combine(_grid.OutDirectory, "pmcm-labeled2-seed1")).Log);
        double[] norms = [1, 2, 3, 40, 5];
        for (var i = 0; i < norms.Length; i++) log.Append(i, new Dictionary<string, double> { ["total"] = 1, [GradientNorm.Column] = norms[i] });
        Log("pmcm-labeled2-seed2", 1); // logged before the column existed
        var cells = new ExperimentRunner(_grid).Collect().Finished;
        var largest = LargestGradient.Of(cells.Single(c => c.Cell.Name == "pmcm-labeled2-seed1"));
        Assert.Equal(new LargestGradient(3, 40, 3), largest);
        Assert.Equal(40.0 / 3, largest!.Value.TimesMedian, 1e-12);
        Assert.Null(LargestGradient.Of(cells.Single(c => c.Cell.Name == "pmcm-labeled2-seed2")));
        Assert.Null(LargestGradient.Of(cells.Single(c => c.Cell.Name == "supervised-labeled2-seed1"))); // no log.csv
    }

    [Fact]
    public void Results_csv_has_one_line_per_row_with_the_spread_over_seeds()
    {
        var csv = ExperimentReport.Of(new ExperimentRunner(_grid).Collect()).Csv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("method,labeled,dice_mean,dice_std,jaccard_mean,jaccard_std,hd95_mean,hd95_std,asd_mean,asd_std,seeds,cases,empty_predictions,iterations,minutes_per_run,lcc_dice_mean,lcc_dice_std,lcc_hd95_mean,lcc_hd95_std", csv[0]);
        Assert.Equal("supervised,2,0.650000,0.070711,0.650000,0.070711,9.0000,1.4142,4.5000,0.7071,2,4,0,100,2.50,,,,", csv[1]);
        Assert.Equal("pmcm,2,0.750000,0.070711,0.750000,0.070711,7.0000,1.4142,3.5000,0.7071,2,4,0,100 150,2.50,,,,", csv[4]);
    }

    // A finished cell: result.json (Jaccard = Dice, ASD = HD95 / 2; Dice 0 means an empty prediction) and run.json.
    private void Cell(string method, string labeled, int seed, int iterations, params (string Case, double Dice, double Hd95)[] cases)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_grid.OutDirectory, $"{method}-labeled{labeled}-seed{seed}")).FullName;
        var scores = cases.Select(c => new SegmentationScores(c.Dice, c.Dice, c.Hd95, c.Hd95 / 2, c.Dice == 0, false)).ToList();
        var result = new ExperimentResult(method, labeled, seed, labeled == "all" ? 4 : int.Parse(labeled), cases.Select(c => c.Case).ToList(), scores, 150, iterations);
        File.WriteAllText(Path.Combine(folder, ExperimentRunner.ResultFile), JsonSerializer.Serialize(result));
        new RunRecord { Method = method, Iterations = iterations, Seed = seed, NFilters = 2, Classes = 2, Patch = new Shape3(8, 8, 8), Stride = new Shape3(4, 4, 4) }
            .Write(new RunFiles(folder).Record);
    }

    // Rewrites a finished cell's result.json with largest-component scores made from its scores by `cut`.
    private static void LargestComponent(FinishedCell cell, Func<SegmentationScores, SegmentationScores> cut)
    {
        var result = cell.Result with { LargestComponentScores = cell.Result.Scores.Select(cut).ToList() };
        File.WriteAllText(Path.Combine(cell.RunDirectory, ExperimentRunner.ResultFile), JsonSerializer.Serialize(result));
    }

    private void Validation(string cell, params (long Iteration, double Dice, double Hd95)[] points)
    {
        var log = TrainingLog.Create(new RunFiles(Path.Combine(_grid.OutDirectory, cell)).ValidationLog);
        foreach (var p in points)
            log.Append(p.Iteration, new Dictionary<string, double> { ["dice"] = p.Dice, ["jaccard"] = p.Dice, ["hd95"] = p.Hd95, ["asd"] = p.Hd95 / 2 });
    }

    private void Log(string cell, double scale)
    {
        var log = TrainingLog.Create(new RunFiles(Path.Combine(_grid.OutDirectory, cell)).Log);
        for (var i = 0; i < 8; i++) log.Append(i, new Dictionary<string, double> { ["total"] = scale * (i + 1), ["weight/p_weight"] = 0.5 });
    }
}
