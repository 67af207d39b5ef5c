using System.Globalization;
using System.Text;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Core.Runs;
using Pmcm.Learning;
using Pmcm.Learning.Experiments;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;

namespace Pmcm.Cli.Reports;

/// <summary>
/// The experiment's Markdown report (<c>pmcm experiment --report PATH</c>, default <c>OUT/results.md</c>): the grid,
/// the missing cells, the findings written by hand (<c>--findings FILE</c>), the table over seeds, the paired
/// comparisons with their bootstrap intervals, both again on each prediction's largest connected component, the
/// validation curves, the best and worst validation cases, what the PMCM rows' logged terms did, every run, and
/// every run's Dice on each validation case. Its pictures go
/// into the folder beside PATH named after PATH's stem (<c>docs/results-la-cpu.md</c> →
/// <c>docs/results-la-cpu/</c>) and are linked relatively, so the report can be committed with them.
/// </summary>
public static class ExperimentMarkdown
{
    public const string CurvesName = "validation-curves.png";
    public const string OverlaysName = "overlays.png";

    /// <summary>The default report path: <c>results.md</c> in the experiment folder.</summary>
    public static string DefaultPath(string outDirectory) => Path.Combine(outDirectory, "results.md");

    /// <summary>The folder the pictures of the report at <paramref name="path"/> go into.</summary>
    public static string PictureFolder(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path));

    /// <summary>
    /// Draws the pictures and writes the report; <paramref name="command"/> is the command line that made it, and
    /// <paramref name="findings"/> (Markdown) goes in as given after the grid's description.
    /// </summary>
    public static void Write(string path, ExperimentReport report, string command, string? findings = null)
    {
        var pictures = PictureFolder(path);
        Directory.CreateDirectory(pictures);
        var link = Uri.EscapeDataString(Path.GetFileName(pictures));

        var curves = Path.Combine(pictures, CurvesName);
        ValidationCurvesChart.Write(curves, report.Curves);
        var overlays = Path.Combine(pictures, OverlaysName);
        var drawn = ExperimentOverlays.Write(overlays, report.Grid);
        // A picture of an earlier report must not stand for this one.
        if (drawn.Drawn.Count == 0 && File.Exists(overlays)) File.Delete(overlays);

        var md = new StringBuilder();
        Grid(md, report, command);
        if (!string.IsNullOrWhiteSpace(findings)) md.Append('\n').Append(findings.Trim()).Append('\n');
        md.Append("\n## Results\n\n");
        md.Append(CultureInfo.InvariantCulture, $"""
            Each seed's score is its mean over the validation cases; the table shows the mean ± std of those over the
            seeds (sample std, ddof = 1; n/a with one seed). HD95 and ASD are in voxels of the training grid
            (downsample ×{report.Grid.Options.Template.Downsample}). An empty prediction scores 0 on all four metrics, the
            reference's convention, which flatters HD95 and ASD: `empty` counts them over all seeds and cases.
            `Dice, last third` chooses no checkpoint: each run's mean validation Dice over the validations in the last
            third of its iterations, then mean ± std over the seeds; the best checkpoint, chosen on the cases it is
            scored on, flatters a run the more its curve swings. Minutes are a run's training time from its logs: every iteration (waiting for the batch plus the step) and
            every validation, over all the sessions of a resumed run; start-up (loading the cases) is left out. "≥"
            marks runs begun before the logs kept the time: their minutes are the session that finished them only.


            """);
        md.Append(Table(report));

        Comparisons(md, report);
        LargestComponent(md, report);

        md.Append(CultureInfo.InvariantCulture, $"\n## Validation curves\n\nValidation Dice and HD95 of every row, mean over its seeds at each validation iteration.\n\n![validation curves]({link}/{CurvesName})\n");

        md.Append("\n## Best and worst validation case\n\n");
        if (drawn.Drawn.Count > 0)
        {
            md.Append("Slices through the reference's centre (axial, coronal, sagittal): reference outline green, prediction red, both yellow. ");
            md.Append("Each case is segmented again from its run's best.pth; top to bottom:\n\n");
            foreach (var caption in drawn.Drawn) md.Append("- ").Append(caption).Append('\n');
            md.Append(CultureInfo.InvariantCulture, $"\n![best and worst validation cases]({link}/{OverlaysName})\n");
        }
        else md.Append("Not drawn.\n");
        foreach (var reason in drawn.Skipped) md.Append("\nNot drawn: ").Append(reason).Append('\n');

        Dynamics(md, report);
        Runs(md, report);
        PerCase(md, report);
        AtomicFile.WriteAllText(path, md.ToString());
    }

    /// <summary>The table over seeds alone, as the command prints it.</summary>
    public static string Table(ExperimentReport report)
    {
        var md = new StringBuilder();
        md.Append("| method | labeled | Dice (%) | Dice, last third (%) | Jaccard (%) | HD95 (voxels) | ASD (voxels) | seeds | cases | empty | iterations | minutes per run |\n");
        md.Append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var r in report.Rows)
            md.Append(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.LabeledCases} | {Pm(r.Dice, 100)} | {Pm(r.LateDice, 100)} | {Pm(r.Jaccard, 100)} | {Pm(r.Hd95, 1)} | {Pm(r.Asd, 1)} | {r.Seeds.Count} | {r.Cases} | {r.EmptyPredictions} | {string.Join(", ", r.Iterations)} | {Minutes(r.MinutesPerRun, r.WholeRunsTimed)} |\n");
        return md.ToString();
    }

    private static void Grid(StringBuilder md, ExperimentReport report, string command)
    {
        var grid = report.Grid;
        var t = grid.Options.Template;
        var total = grid.Finished.Count + grid.Missing.Count;
        var validation = grid.Finished[0].Result.Cases;
        md.Append("# Experiment results\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Written by `pmcm experiment` from {grid.Finished.Count} of the grid's {total} runs:\n\n```sh\n{command}\n```\n\n");
        md.Append(CultureInfo.InvariantCulture, $"""
            - **Data:** `{Path.GetFullPath(t.DataDirectory)}`; runs are scored on the {validation.Count} validation cases held out at
              the end of `train.list` ({string.Join(", ", validation)}), with the best checkpoint chosen on the same cases
              (optimistic for every row alike). The test list is not used.
            - **Grid:** rows (method:labeled) {string.Join(", ", grid.Options.Rows)}; seeds {string.Join(", ", grid.Options.Seeds)}.

            """);
        // The scale as the runs recorded it; runs that differ (a grid extended or resumed with other settings) are named.
        var scales = grid.Finished.Where(c => c.Record is not null).GroupBy(c => Scale(c.Record!)).ToList();
        if (scales.Count <= 1)
            md.Append("- **Scale:** ").Append(scales.Count == 1 ? scales[0].Key : "not recorded (no run.json in the run folders)").Append(".\n");
        else
            foreach (var scale in scales)
                md.Append("- **Scale** of ").Append(string.Join(", ", scale.Select(c => c.Cell.Name))).Append(": ").Append(scale.Key).Append(".\n");
        if (grid.Missing.Count > 0)
            md.Append(CultureInfo.InvariantCulture, $"\n**Missing:** {grid.Missing.Count} of {total} runs have no result yet (not run, running, or failed) and are left out: {ExperimentRunner.Describe(grid.Missing)}.\n");
    }

    private static string Scale(RunRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Iterations} iterations, patch {r.Patch}, batch {r.BatchSize} ({r.LabeledBatchSize} labeled), {r.NFilters} filters, downsample ×{r.Downsample}{(r.Standardise ? " with every image z-scored again after loading" : "")}, lr {r.LearningRate} ({r.LearningRateSchedule}), gradient clipping {(r.MaxGradientNorm > 0 ? $"at norm {r.MaxGradientNorm}" : "off")}, ramp-up `{r.Ramp}`, reference corrections {r.Corrections}, {(r.LossWeights == LossWeightOverrides.PaperName ? "" : $"loss weights {r.LossWeights} (the rest the paper's), ")}validation every {r.ValidateEvery} iterations of {(r.EmaDecay > 0 ? $"the weight average (decay {r.EmaDecay})" : "the weights as trained")}, BatchNorm recalibration {(r.BatchNormRecalibration > 0 ? $"over {r.BatchNormRecalibration} batches" : "off")}, precision {r.Precision}");

    private static void Comparisons(StringBuilder md, ExperimentReport report)
    {
        md.Append("\n## Paired comparisons\n\n");
        if (report.Comparisons.Count == 0)
        {
            md.Append("No two rows share a labeled count, seeds and cases yet.\n");
            return;
        }
        var bootstrap = report.Bootstrap;
        md.Append(CultureInfo.InvariantCulture, $"""
            A pair is one seed's run of each method scored on the same validation case. Differences are method − baseline,
            mean over the pairs, with a {100 * bootstrap.Confidence:G3} % percentile bootstrap interval over the validation cases ({bootstrap.Resamples:N0}
            resamples, generator seed {bootstrap.Seed}): a case's pairs under different seeds share that case's difficulty,
            so each resample draws as many cases as were scored, with replacement, and a drawn case brings the pairs of
            all its seeds (a cluster bootstrap; drawing pairs independently would count one hard case three times as
            three pieces of evidence). That interval treats each seed's run as given; the columns `over seeds` draw the
            seeds as well, with replacement (a crossed bootstrap), so they also hold how far one training run lands from
            another: the interval to read before trusting a difference to survive a new run (wider; an approximation,
            as every bootstrap of a crossed design is; with one seed there is no spread to draw and they are empty). The HD95 ratio is the method's mean HD95 over the baseline's on
            the same pairs; `both found` repeats it over the pairs where neither prediction is empty (an empty prediction
            scores HD95 0, which flatters the method that misses the atrium). `gap closed` is the share of the Dice gap between supervised training at
            that labeled count and with every case labeled that the method closes (above 50 %: closer to the bound).


            """);
        ComparisonTable(md, report);
    }

    // The reference scores raw predictions; its --nms keeps each one's largest component. HD95 is set by the farthest
    // 5 % of surface points, so one stray blob can decide it: scored both ways, a report shows boundaries apart from blobs.
    private static void LargestComponent(StringBuilder md, ExperimentReport report)
    {
        md.Append("\n## Scored on the largest connected component\n\n");
        if (report.LargestComponent is not { } largest)
        {
            md.Append("Not scored: ").Append(string.Join(", ", report.WithoutLargestComponent));
            md.Append(" kept no largest-component scores and have no best.pth to segment again.\n");
            return;
        }
        md.Append("""
            The same predictions with only their largest 26-connected component kept (the reference's `--nms`, off in its
            test script), as `pmcm eval --lcc` scores them: how much of each score stray blobs away from the
            structure decide. The tables read as those above.


            """);
        md.Append("| method | labeled | Dice (%) | Jaccard (%) | HD95 (voxels) | ASD (voxels) | seeds | cases | empty |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var r in largest.Rows)
            md.Append(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.LabeledCases} | {Pm(r.Dice, 100)} | {Pm(r.Jaccard, 100)} | {Pm(r.Hd95, 1)} | {Pm(r.Asd, 1)} | {r.Seeds.Count} | {r.Cases} | {r.EmptyPredictions} |\n");
        if (largest.Comparisons.Count > 0)
        {
            md.Append('\n');
            ComparisonTable(md, largest);
        }
    }

    private static void ComparisonTable(StringBuilder md, ExperimentReport report)
    {
        md.Append("| method | baseline | labeled | pairs (cases × seeds) | ΔDice (points) [95 % CI] | ΔDice, over seeds | ΔHD95 (voxels) [95 % CI] | HD95 ratio [95 % CI] | HD95 ratio, over seeds | HD95 ratio, both found [95 % CI] (pairs) | gap closed |\n");
        md.Append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var c in report.Comparisons)
        {
            var labeled = report.Rows.First(r => r.Method == c.Method && r.Labeled == c.Labeled).LabeledCases;
            md.Append(CultureInfo.InvariantCulture, $"| {c.Method} | {c.Baseline} | {labeled} | {c.Dice.Count} ({c.Cases} × {c.Seeds}) | {IntervalText.Difference(c.Dice, 100, 2)} | ");
            md.Append(c.DiceOverSeeds is { } o ? IntervalText.Difference(o, 100, 2) : "").Append(" | ");
            md.Append(c.Hd95 is { } d ? IntervalText.Difference(d, 1, 2) : "n/a").Append(" | ").Append(IntervalText.Ratio(c.Hd95Ratio)).Append(" | ");
            md.Append(c.Seeds > 1 ? IntervalText.Ratio(c.Hd95RatioOverSeeds) : "").Append(" | ");
            md.Append(IntervalText.Ratio(c.Hd95RatioBothFound)).Append(CultureInfo.InvariantCulture, $" ({c.PairsBothFound}) | ");
            md.Append(report.GapClosed(c) is { } gap ? F(100 * gap, 0) + " %" : "").Append(" |\n");
        }
    }

    private static void Dynamics(StringBuilder md, ExperimentReport report)
    {
        md.Append("\n## Training dynamics\n\n");
        if (report.Dynamics.Count == 0)
        {
            md.Append("No PMCM run kept a log.csv.\n");
            return;
        }
        md.Append("""
            Each column of the PMCM runs' `log.csv` (loss terms, then the weights the ramp-ups gave them), averaged over the
            first, second, third and fourth quarter of a run's iterations and then over the seeds.

            """);
        foreach (var d in report.Dynamics)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n**{d.Method}, {d.LabeledCases} labeled** ({d.Runs} {(d.Runs == 1 ? "run" : "runs")})\n\n");
            md.Append("| term | 1st quarter | 2nd | 3rd | 4th | 4th / 1st |\n| --- | --- | --- | --- | --- | --- |\n");
            foreach (var term in d.Terms)
            {
                var m = term.Means;
                md.Append(CultureInfo.InvariantCulture, $"| {term.Term} | {G(m[0])} | {G(m[1])} | {G(m[2])} | {G(m[3])} | {(m[0] != 0 ? F(m[3] / m[0], 2) : "n/a")} |\n");
            }
        }
    }

    private static void Runs(StringBuilder md, ExperimentReport report)
    {
        md.Append("\n## Runs\n\n`largest gradient` is the run's largest logged gradient norm with its iteration and its ratio to the run's median (n/a: a run logged before the norm was).\n\n");
        md.Append("| run | Dice (%) | HD95 (voxels) | empty | best iteration | minutes | largest gradient |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var c in report.Grid.Finished)
        {
            var s = MetricSummary.Of(c.Result.Scores);
            var gradient = LargestGradient.Of(c) is { } g ? $"{G(g.Norm)} at {g.Iteration} ({F(g.TimesMedian, 0)}× median)" : "n/a";
            md.Append(CultureInfo.InvariantCulture, $"| {c.Cell.Name} | {F(100 * s.Dice.Mean, 2)} | {F(s.Hd95.Mean, 2)} | {s.EmptyPredictions} | {c.Result.BestIteration} | {Minutes(c.Result.TrainingSeconds / 60, c.Result.WholeRunTimed)} | {gradient} |\n");
        }
    }

    // Where a difference between rows comes from: one atypical case can move a mean over 8 cases by several points.
    private static void PerCase(StringBuilder md, ExperimentReport report)
    {
        var cases = report.Grid.Finished.SelectMany(c => c.Result.Cases).Distinct().ToList();
        var width = ShortestUniquePrefix(cases, 4);
        md.Append("\n## Dice per validation case\n\nDice (%) of each run's best checkpoint on each validation case, headed by the first ");
        md.Append(CultureInfo.InvariantCulture, $"{width} characters of its name; E marks an empty prediction.\n\n| run | ");
        md.Append(string.Join(" | ", cases.Select(c => c[..Math.Min(width, c.Length)]))).Append(" |\n| --- |");
        md.Append(string.Concat(Enumerable.Repeat(" ---: |", cases.Count))).Append('\n');
        foreach (var c in report.Grid.Finished)
        {
            md.Append("| ").Append(c.Cell.Name).Append(" |");
            foreach (var name in cases)
            {
                var i = c.Result.Cases.ToList().IndexOf(name);
                md.Append(' ').Append(i < 0 ? "" : F(100 * c.Result.Scores[i].Dice, 0) + (c.Result.Scores[i].EmptyPrediction ? " E" : "")).Append(" |");
            }
            md.Append('\n');
        }
    }

    private static int ShortestUniquePrefix(IReadOnlyList<string> names, int atLeast)
    {
        var longest = names.Count == 0 ? atLeast : names.Max(n => n.Length);
        for (var width = atLeast; width < longest; width++)
            if (names.Select(n => n[..Math.Min(width, n.Length)]).Distinct().Count() == names.Count) return width;
        return longest;
    }

    // A time that covers only the session that finished the run is a lower bound of the run's.
    private static string Minutes(double minutes, bool wholeRun) => (wholeRun ? "" : "≥ ") + F(minutes, 1);

    private static string Pm(SeedStatistic s, double factor) => $"{F(factor * s.Mean, 2)} ± {F(factor * s.Std, 2)}";

    private static string F(double v, int digits) => double.IsNaN(v) ? "n/a" : v.ToString("F" + digits, CultureInfo.InvariantCulture);

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
