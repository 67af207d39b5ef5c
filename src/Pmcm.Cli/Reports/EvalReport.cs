using System.Globalization;
using System.Text;
using Pmcm.Cli.Rendering;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Core.Volumes;

namespace Pmcm.Cli.Reports;

/// <summary>
/// `pmcm eval --report DIR`: a self-contained HTML page (<c>DIR/index.html</c>, images in <c>DIR/cases/</c>) with
/// the run's settings, the mean ± std summary, a histogram of the per-case Dice and a box plot of the HD95, and
/// a per-case table sortable by any metric (worst Dice first), each row with three orthogonal slices through
/// the reference's centre showing both outlines. Cases are drawn as they are scored, so volumes are not kept.
/// </summary>
public sealed class EvalReport : IDisposable
{
    public const string SliceFolder = "cases";

    private readonly ReportFolder folder;
    private readonly List<(string Name, SegmentationScores Scores, string Image)> cases = [];

    public EvalReport(string directory)
    {
        folder = new ReportFolder(directory);
        Directory.CreateDirectory(Path.Combine(folder.Staging, SliceFolder));
    }

    public string Page => Path.Combine(folder.Target, ReportFolder.PageName);

    public void AddCase(string name, Volume image, bool[] reference, bool[] prediction, SegmentationScores scores)
    {
        var file = $"{SliceFolder}/{cases.Count + 1:D3}-{SafeName(name)}.png";
        var centre = OrthogonalSlices.Centre(reference, prediction, image.Shape);
        OrthogonalSlices.Write(Path.Combine(folder.Staging, file), image, reference, prediction, centre, OrthogonalSlices.ScaleFor(image.Shape));
        cases.Add((name, scores, file));
    }

    /// <summary>Writes the page and puts the folder in place.</summary>
    public void Commit(string title, IEnumerable<(string Name, string Value)> settings, MetricSummary summary)
    {
        var html = new StringBuilder();
        HtmlPage.Begin(html, title);
        html.Append("<h2>Settings</h2>\n");
        HtmlPage.Settings(html, settings);

        html.Append("<h2>Summary</h2>\n<table class=\"summary\"><thead><tr><th></th><th class=\"num\">Dice</th><th class=\"num\">Jaccard</th><th class=\"num\">HD95 (voxels)</th><th class=\"num\">ASD (voxels)</th></tr></thead><tbody>\n");
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>mean ± std</th>{Pm(summary.Dice)}{Pm(summary.Jaccard)}{Pm(summary.Hd95)}{Pm(summary.Asd)}</tr>\n</tbody></table>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>{summary.Cases} case(s), {summary.EmptyPredictions} empty prediction(s) (scored 0); std is the population std (ddof = 0).</p>\n");

        html.Append("<div class=\"charts\">\n");
        html.Append(DistributionSvg.Histogram("Dice per case", cases.Select(c => c.Scores.Dice).ToList(), 10, 0, 1));
        html.Append(DistributionSvg.BoxPlot("HD95 per case (voxels)", cases.Select(c => c.Scores.Hd95).ToList()));
        html.Append("</div>\n");

        html.Append(CultureInfo.InvariantCulture, $"""
            <h2>Cases</h2>
            <p class="legend">Slices through the reference's centre: axial, coronal, sagittal.<span style="background:{Css(OrthogonalSlices.ReferenceColour)}"></span>reference<span style="background:{Css(OrthogonalSlices.PredictionColour)}"></span>prediction<span style="background:{Css(OrthogonalSlices.BothColour)}"></span>both. Click a header to sort.</p>
            <table class="sortable" id="cases">
            <thead><tr><th data-sort="text">case</th><th class="num" data-sort="number" aria-sort="ascending">Dice</th><th class="num" data-sort="number">Jaccard</th><th class="num" data-sort="number">HD95</th><th class="num" data-sort="number">ASD</th><th>slices</th></tr></thead>
            <tbody>

            """);
        // Worst first: lowest Dice at the top; NaN (never produced for Dice) would go last.
        foreach (var (name, s, image) in cases.OrderBy(c => double.IsNaN(c.Scores.Dice)).ThenBy(c => c.Scores.Dice))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-case=\"{HtmlPage.Escape(name)}\"><td>{HtmlPage.Escape(name)}{(s.EmptyPrediction ? " <em>(empty prediction)</em>" : "")}</td>");
            html.Append(HtmlPage.NumberCell(s.Dice, 4)).Append(HtmlPage.NumberCell(s.Jaccard, 4)).Append(HtmlPage.NumberCell(s.Hd95, 2)).Append(HtmlPage.NumberCell(s.Asd, 2));
            html.Append(CultureInfo.InvariantCulture, $"<td><img src=\"{HtmlPage.Href(image)}\" alt=\"slices of {HtmlPage.Escape(name)}\"></td></tr>\n");
        }
        html.Append("</tbody></table>\n");
        HtmlPage.End(html);

        AtomicFile.WriteAllText(Path.Combine(folder.Staging, ReportFolder.PageName), html.ToString());
        folder.Commit();
    }

    public void Dispose() => folder.Dispose();

    private static string Pm(Statistic s) => $"<td class=\"num\">{HtmlPage.Number(s.Mean, 4)} ± {HtmlPage.Number(s.Std, 4)}</td>";

    private static string Css(SkiaSharp.SKColor c) => $"#{c.Red:X2}{c.Green:X2}{c.Blue:X2}";

    private static string SafeName(string name) =>
        new(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray());
}
