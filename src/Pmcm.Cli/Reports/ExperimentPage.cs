using System.Globalization;
using System.Text;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Core.Runs;
using Pmcm.Learning.Experiments;
using Pmcm.Learning.Training;

namespace Pmcm.Cli.Reports;

/// <summary>
/// The experiment's page, <c>OUT/index.html</c>: the grid's settings, the paper-style table (sortable), the bar
/// charts (<c>results.png</c>), the same table on each prediction's largest connected component, and one row per run
/// with its own scores and links to its folder and training curves. Links are relative, so the experiment folder can
/// be copied off a cluster and opened anywhere.
/// </summary>
public static class ExperimentPage
{
    public const string ChartName = "results.png";

    public static string Write(ExperimentReport report)
    {
        var options = report.Grid.Options;
        var t = options.Template;
        var html = new StringBuilder();
        HtmlPage.Begin(html, "Pmcm experiment");
        html.Append("<h2>Settings</h2>\n");
        HtmlPage.Settings(html, [
            ("data", Path.GetFullPath(t.DataDirectory)),
            ("rows (method:labeled)", string.Join(", ", options.Rows)),
            ("seeds", string.Join(", ", options.Seeds)),
            ("scale", Invariant($"{t.Iterations} iterations, patch {t.Patch}, batch {t.BatchSize} ({t.LabeledBatchSize} labeled), {t.NFilters} filters, downsample ×{t.Downsample}{(t.Standardise ? " with every image z-scored again after loading" : "")}")),
            ("scored on", "each run's validation cases (held out from train.list), best checkpoint"),
        ]);

        html.Append("""
            <h2>Results</h2>
            <p>Mean ± std over seeds (sample std) of each seed's mean over its validation cases; HD95 and ASD in voxels. Click a header to sort.</p>

            """);
        RowsTable(html, "results", report);
        html.Append(CultureInfo.InvariantCulture, $"<p><img src=\"{ChartName}\" alt=\"Dice and HD95 per method\" style=\"max-width: 100%; image-rendering: auto\"></p>\n");

        // The reference's --nms: the same predictions cut to their largest component, so stray blobs stop deciding HD95.
        html.Append("<h2>Scored on the largest connected component</h2>\n");
        if (report.LargestComponent is { } largest)
        {
            html.Append("<p>The same predictions with only their largest 26-connected component kept (the reference's <code>--nms</code>), as <code>pmcm eval --lcc</code> scores them.</p>\n");
            RowsTable(html, "largest-component", largest);
        }
        else
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"largest-component\">Not scored: {HtmlPage.Escape(string.Join(", ", report.WithoutLargestComponent))} kept no largest-component scores.</p>\n");

        html.Append("""
            <h2>Runs</h2>
            <table class="sortable" id="runs">
            <thead><tr><th data-sort="text">run</th><th data-sort="text">method</th><th data-sort="text">labeled</th><th class="num" data-sort="number">seed</th><th class="num" data-sort="number">Dice</th><th class="num" data-sort="number">HD95</th><th class="num" data-sort="number">best iteration</th><th class="num" data-sort="number">minutes</th><th>curves</th></tr></thead>
            <tbody>

            """);
        foreach (var finished in report.Grid.Finished)
        {
            var (cell, r) = (finished.Cell.Name, finished.Result);
            var summary = MetricSummary.Of(r.Scores);
            var curves = Path.GetRelativePath(options.OutDirectory, new RunFiles(Path.Combine(options.OutDirectory, cell)).Curves);
            var hasCurves = File.Exists(Path.Combine(options.OutDirectory, curves));
            html.Append(CultureInfo.InvariantCulture, $"<tr data-run=\"{HtmlPage.Escape(cell)}\"><td><a href=\"{HtmlPage.Href(cell)}/\">{HtmlPage.Escape(cell)}</a></td><td>{HtmlPage.Escape(r.Method)}</td><td>{HtmlPage.Escape(r.Labeled)}</td><td class=\"num\">{r.Seed}</td>");
            html.Append(HtmlPage.NumberCell(summary.Dice.Mean, 4)).Append(HtmlPage.NumberCell(summary.Hd95.Mean, 2));
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{r.BestIteration}</td>{HtmlPage.NumberCell(r.TrainingSeconds / 60, 1)}");
            html.Append(hasCurves
                ? $"<td><a href=\"{HtmlPage.Href(curves)}\"><img src=\"{HtmlPage.Href(curves)}\" alt=\"training curves of {HtmlPage.Escape(cell)}\" width=\"180\" style=\"image-rendering: auto\"></a></td></tr>\n"
                : "<td>none</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
        if (report.Grid.Missing.Count > 0)
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"missing\">Not finished yet, left out: {HtmlPage.Escape(ExperimentRunner.Describe(report.Grid.Missing))}.</p>\n");
        HtmlPage.End(html);

        var page = Path.Combine(options.OutDirectory, ReportFolder.PageName);
        AtomicFile.WriteAllText(page, html.ToString());
        return page;
    }

    private static void RowsTable(StringBuilder html, string id, ExperimentReport report)
    {
        html.Append(CultureInfo.InvariantCulture, $"""
            <table class="sortable" id="{id}">
            <thead><tr><th data-sort="text">method</th><th class="num" data-sort="number">labeled</th><th class="num" data-sort="number">Dice (%)</th><th class="num" data-sort="number">Jaccard (%)</th><th class="num" data-sort="number">HD95</th><th class="num" data-sort="number">ASD</th><th class="num" data-sort="number">seeds</th><th class="num" data-sort="number">empty predictions</th><th class="num" data-sort="number">minutes per run</th></tr></thead>
            <tbody>

            """);
        foreach (var r in report.Rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-method=\"{HtmlPage.Escape(r.Method)}\" data-labeled=\"{HtmlPage.Escape(r.Labeled)}\"><td>{HtmlPage.Escape(r.Method)}</td><td class=\"num\">{r.LabeledCases}</td>");
            html.Append(Pm(r.Dice, 100)).Append(Pm(r.Jaccard, 100)).Append(Pm(r.Hd95, 1)).Append(Pm(r.Asd, 1));
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{r.Seeds.Count}</td><td class=\"num\">{r.EmptyPredictions}</td>{HtmlPage.NumberCell(r.MinutesPerRun, 1)}</tr>\n");
        }
        html.Append("</tbody></table>\n");
    }

    private static string Pm(SeedStatistic s, double factor) =>
        $"<td class=\"num\" data-value=\"{HtmlPage.SortValue(factor * s.Mean)}\">{HtmlPage.Number(factor * s.Mean, 2)} ± {HtmlPage.Number(factor * s.Std, 2)}</td>";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
