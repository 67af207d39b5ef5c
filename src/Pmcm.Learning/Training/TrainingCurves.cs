using Pmcm.Learning.Charts;
using SkiaSharp;

namespace Pmcm.Learning.Training;

/// <summary>
/// A PNG of the training curves: the total and supervised Dice losses per iteration (top) and the
/// validation Dice (bottom), each a line plot with labelled axes.
/// </summary>
internal static class TrainingCurves
{
    private const int Width = 900, PanelHeight = 300, Margin = 60;

    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    public static void Write(string path, IReadOnlyList<Series> losses, Series validationDice)
    {
        using var chart = new Chart(Width, 2 * PanelHeight);
        var xMax = Math.Max(1, losses.Concat([validationDice]).SelectMany(s => s.Points).Select(p => p.X).DefaultIfEmpty(1).Max());
        var lossValues = losses.SelectMany(s => s.Points).Select(p => p.Y).Where(double.IsFinite).ToArray();
        var (lossMin, lossMax) = lossValues.Length == 0 ? (0.0, 1.0) : (Math.Min(0, lossValues.Min()), lossValues.Max());
        Panel(chart, 0, "loss", losses, xMax, lossMin, lossMax);
        Panel(chart, PanelHeight, "validation Dice", [validationDice], xMax, 0, 1);
        chart.Save(path);
    }

    private static void Panel(Chart chart, int top, string title, IReadOnlyList<Series> series, double xMax, double yMin, double yMax)
    {
        if (yMax <= yMin) yMax = yMin + 1;
        var plot = new SKRect(Margin, top + 30, Width - 20, top + PanelHeight - 40);
        chart.Frame(plot, title, top + 20);
        chart.YTicks(plot, yMin, yMax, 4);
        chart.XTicks(plot, xMax, "iteration");
        for (var s = 0; s < series.Count; s++)
        {
            chart.Line(plot, series[s].Points, xMax, yMin, yMax, Chart.Colour(s), 1.5f);
            chart.Label(series[s].Name, plot.Right - 260, plot.Top + 16 + 16 * s, Chart.Colour(s));
        }
    }
}
