using System.Globalization;
using System.Text;

namespace Pmcm.Cli.Reports;

/// <summary>
/// Small inline SVG charts of per-case scores: a histogram over a fixed range (Dice over [0, 1]) and a
/// horizontal box plot with whiskers at the minimum and maximum (HD95). Each chart carries its numbers as
/// data attributes (<c>data-counts</c>; <c>data-min</c>, <c>data-q1</c>, <c>data-median</c>, <c>data-q3</c>,
/// <c>data-max</c>) so a reader's tools can check them.
/// </summary>
public static class DistributionSvg
{
    private const int Width = 360, Height = 180, Left = 40, Right = 12, Top = 24, Bottom = 34;

    public static string Histogram(string title, IReadOnlyList<double> values, int bins, double low, double high)
    {
        var counts = Reports.Histogram.Counts(values, bins, low, high);
        var most = Math.Max(1, counts.Max());
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var svg = Open(title, $"data-kind=\"histogram\" data-counts=\"{string.Join(',', counts)}\"");
        for (var b = 0; b < bins; b++)
        {
            var h = counts[b] / (double)most * plotHeight;
            svg.Append(Invariant($"<rect x=\"{Left + b * plotWidth / (double)bins + 1:F1}\" y=\"{Top + plotHeight - h:F1}\" width=\"{plotWidth / (double)bins - 2:F1}\" height=\"{h:F1}\" fill=\"#1f77b4\"><title>{low + b * (high - low) / bins:G3}–{low + (b + 1) * (high - low) / bins:G3}: {counts[b]}</title></rect>\n"));
        }
        Axis(svg, low, high);
        svg.Append(Invariant($"<text x=\"4\" y=\"{Top + 10}\" font-size=\"11\">{most}</text><text x=\"4\" y=\"{Top + plotHeight}\" font-size=\"11\">0</text>\n"));
        return Close(svg);
    }

    public static string BoxPlot(string title, IReadOnlyList<double> values)
    {
        var box = BoxSummary.Of(values);
        if (box is null) return Close(Open(title, "data-kind=\"box\" data-count=\"0\"").Append("<text x=\"40\" y=\"90\" font-size=\"12\">no finite values</text>\n"));
        var high = box.Max > 0 ? box.Max * 1.05 : 1;
        var svg = Open(title, Invariant($"data-kind=\"box\" data-count=\"{box.Count}\" data-min=\"{box.Min:R}\" data-q1=\"{box.Q1:R}\" data-median=\"{box.Median:R}\" data-q3=\"{box.Q3:R}\" data-max=\"{box.Max:R}\""));
        double X(double v) => Left + v / high * (Width - Left - Right);
        var middle = Top + (Height - Top - Bottom) / 2.0;
        svg.Append(Invariant($"""
            <line x1="{X(box.Min):F1}" y1="{middle:F1}" x2="{X(box.Max):F1}" y2="{middle:F1}" stroke="#333"/>
            <line x1="{X(box.Min):F1}" y1="{middle - 12:F1}" x2="{X(box.Min):F1}" y2="{middle + 12:F1}" stroke="#333"/>
            <line x1="{X(box.Max):F1}" y1="{middle - 12:F1}" x2="{X(box.Max):F1}" y2="{middle + 12:F1}" stroke="#333"/>
            <rect x="{X(box.Q1):F1}" y="{middle - 25:F1}" width="{Math.Max(1, X(box.Q3) - X(box.Q1)):F1}" height="50" fill="#ff7f0e" fill-opacity="0.6" stroke="#333"/>
            <line x1="{X(box.Median):F1}" y1="{middle - 25:F1}" x2="{X(box.Median):F1}" y2="{middle + 25:F1}" stroke="#000" stroke-width="2"/>

            """));
        foreach (var v in values.Where(double.IsFinite))
            svg.Append(Invariant($"<circle cx=\"{X(v):F1}\" cy=\"{middle + 38:F1}\" r=\"2.5\" fill=\"#333\" fill-opacity=\"0.5\"/>\n"));
        Axis(svg, 0, high);
        return Close(svg);
    }

    private static StringBuilder Open(string title, string data) => new StringBuilder()
        .Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" {data}>\n"))
        .Append(Invariant($"<title>{HtmlPage.Escape(title)}</title><text x=\"{Left}\" y=\"15\" font-size=\"13\">{HtmlPage.Escape(title)}</text>\n"))
        .Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>\n"));

    private static void Axis(StringBuilder svg, double low, double high)
    {
        var y = Height - Bottom + 14;
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{y}\" font-size=\"11\" text-anchor=\"middle\">{low:G3}</text>"));
        svg.Append(Invariant($"<text x=\"{Width - Right}\" y=\"{y}\" font-size=\"11\" text-anchor=\"middle\">{high:G3}</text>\n"));
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
