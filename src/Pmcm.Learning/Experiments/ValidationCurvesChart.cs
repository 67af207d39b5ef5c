using Pmcm.Learning.Charts;
using SkiaSharp;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// One PNG with every row's <see cref="ValidationCurve"/>: validation Dice (%) on the left, HD95 on the right,
/// against the iteration, one colour per row with a shared legend below.
/// </summary>
public static class ValidationCurvesChart
{
    private const int PanelWidth = 560, PlotHeight = 340, Margin = 60, LegendLine = 18;

    public static void Write(string path, IReadOnlyList<ValidationCurve> curves)
    {
        var legendRows = (curves.Count + 1) / 2;
        using var chart = new Chart(2 * PanelWidth, PlotHeight + 70 + legendRows * LegendLine);
        var xMax = Math.Max(1, curves.SelectMany(c => c.Points).Select(p => p.Iteration).DefaultIfEmpty(1).Max());
        Panel(chart, 0, "validation Dice (%), mean over seeds", curves, xMax, p => 100 * p.Dice, fixedTop: 100);
        Panel(chart, PanelWidth, "validation HD95 (voxels), mean over seeds", curves, xMax, p => p.Hd95, fixedTop: null);
        Legend(chart, curves, PlotHeight + 60);
        chart.Save(path);
    }

    private static void Panel(Chart chart, int left, string title, IReadOnlyList<ValidationCurve> curves, long xMax, Func<ValidationPoint, double> value, double? fixedTop)
    {
        var plot = new SKRect(left + Margin, 36, left + PanelWidth - 20, PlotHeight);
        chart.Frame(plot, title, 22);
        var values = curves.SelectMany(c => c.Points).Select(value).Where(double.IsFinite).ToList();
        // HD95's axis ends on a multiple of 4 above the largest value, so the four ticks are whole numbers.
        var top = fixedTop ?? (values.Count == 0 ? 4 : 4 * Math.Ceiling(Math.Max(1e-9, values.Max()) * 1.05 / 4));
        chart.YTicks(plot, 0, top, left + 8);
        chart.XTicks(plot, xMax, "iteration");
        for (var i = 0; i < curves.Count; i++)
            chart.Line(plot, curves[i].Points.Select(p => ((double)p.Iteration, value(p))), xMax, 0, top, Chart.Colour(i), 2);
    }

    private static void Legend(Chart chart, IReadOnlyList<ValidationCurve> curves, int top)
    {
        for (var i = 0; i < curves.Count; i++)
        {
            var (x, y) = (Margin + i % 2 * PanelWidth, top + i / 2 * LegendLine);
            using var swatch = new SKPaint { Color = Chart.Colour(i) };
            chart.Canvas.DrawRect(new SKRect(x, y - 10, x + 24, y - 2), swatch);
            chart.Canvas.DrawText($"{curves[i].Method} ({curves[i].LabeledCases} labeled)", x + 32, y, chart.Font, chart.Text);
        }
    }
}
