using Pmcm.Learning.Charts;
using SkiaSharp;

namespace Pmcm.Learning.Experiments;

/// <summary>A PNG comparing the methods: Dice (%) and HD95 bars with ± std (over seeds) whiskers, one bar per table row.</summary>
public static class ExperimentChart
{
    private const int PanelWidth = 520, Height = 420, Margin = 60;

    public static void Write(string path, IReadOnlyList<ExperimentRow> rows)
    {
        using var chart = new Chart(2 * PanelWidth, Height);
        Panel(chart, 0, "Dice (%)", rows, r => (100 * r.Dice.Mean, 100 * r.Dice.Std));
        Panel(chart, PanelWidth, "HD95 (voxels, lower is better)", rows, r => (r.Hd95.Mean, r.Hd95.Std));
        chart.Save(path);
    }

    private static void Panel(Chart chart, int left, string title, IReadOnlyList<ExperimentRow> rows, Func<ExperimentRow, (double Mean, double Std)> value)
    {
        var plot = new SKRect(left + Margin, 40, left + PanelWidth - 20, Height - 110);
        chart.Frame(plot, title, 24);
        var values = rows.Select(value).Where(v => double.IsFinite(v.Mean)).ToList();
        var top = values.Count == 0 ? 1 : Math.Max(1e-9, values.Max(v => v.Mean + (double.IsFinite(v.Std) ? v.Std : 0))) * 1.1;
        chart.YTicks(plot, 0, top, left + 8);
        var canvas = chart.Canvas;
        var width = plot.Width / Math.Max(1, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (mean, std) = value(rows[i]);
            if (!double.IsFinite(mean)) continue;
            var x = plot.Left + i * width;
            var h = (float)(mean / top * plot.Height);
            using var fill = new SKPaint { Color = Chart.Colour(i), IsAntialias = true };
            canvas.DrawRect(new SKRect(x + width * 0.15f, plot.Bottom - h, x + width * 0.85f, plot.Bottom), fill);
            if (double.IsFinite(std))
            {
                var cx = x + width / 2;
                var (y0, y1) = ((float)(plot.Bottom - (mean - std) / top * plot.Height), (float)(plot.Bottom - (mean + std) / top * plot.Height));
                canvas.DrawLine(cx, y0, cx, y1, chart.Ink);
            }
            canvas.Save();
            canvas.Translate(x + width / 2, plot.Bottom + 8);
            canvas.RotateDegrees(35);
            canvas.DrawText($"{rows[i].Method} ({rows[i].LabeledCases})", 0, 0, chart.Font, chart.Text);
            canvas.Restore();
        }
    }
}
