using Pmcm.Core.IO;
using SkiaSharp;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// One PNG with every row's <see cref="ValidationCurve"/>: validation Dice (%) on the left, HD95 on the right,
/// against the iteration, one colour per row with a shared legend below.
/// </summary>
public static class ValidationCurvesChart
{
    private const int PanelWidth = 560, PlotHeight = 340, Margin = 60, LegendLine = 18;
    // matplotlib's tab10, so up to ten rows get distinct colours.
    private static readonly SKColor[] Colors =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    public static void Write(string path, IReadOnlyList<ValidationCurve> curves)
    {
        var legendRows = (curves.Count + 1) / 2;
        using var bitmap = new SKBitmap(2 * PanelWidth, PlotHeight + 70 + legendRows * LegendLine);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            var xMax = Math.Max(1, curves.SelectMany(c => c.Points).Select(p => p.Iteration).DefaultIfEmpty(1).Max());
            Panel(canvas, 0, "validation Dice (%), mean over seeds", curves, xMax, p => 100 * p.Dice, fixedTop: 100);
            Panel(canvas, PanelWidth, "validation HD95 (voxels), mean over seeds", curves, xMax, p => p.Hd95, fixedTop: null);
            Legend(canvas, curves, PlotHeight + 60);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }

    private static void Panel(SKCanvas canvas, int left, string title, IReadOnlyList<ValidationCurve> curves, long xMax, Func<ValidationPoint, double> value, double? fixedTop)
    {
        var plot = new SKRect(left + Margin, 36, left + PanelWidth - 20, PlotHeight);
        using var font = new SKFont(SKTypeface.Default, 13);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, plot.Left, 22, font, text);
        canvas.DrawRect(plot, ink);
        var values = curves.SelectMany(c => c.Points).Select(value).Where(double.IsFinite).ToList();
        // HD95's axis ends on a multiple of 4 above the largest value, so the four ticks are whole numbers.
        var top = fixedTop ?? (values.Count == 0 ? 4 : 4 * Math.Ceiling(Math.Max(1e-9, values.Max()) * 1.05 / 4));
        for (var t = 0; t <= 4; t++)
        {
            var y = plot.Bottom - t / 4f * plot.Height;
            canvas.DrawLine(plot.Left - 4, y, plot.Left, y, ink);
            canvas.DrawText((top * t / 4).ToString("G3"), left + 8, y + 4, font, text);
            var x = plot.Left + t / 4f * plot.Width;
            canvas.DrawLine(x, plot.Bottom, x, plot.Bottom + 4, ink);
            canvas.DrawText((xMax * t / 4.0).ToString("G6"), x - 10, plot.Bottom + 18, font, text);
        }
        canvas.DrawText("iteration", plot.Right - 60, plot.Bottom + 34, font, text);

        SKPoint Map(long x, double y) => new(
            (float)(plot.Left + x / (double)xMax * plot.Width),
            (float)(plot.Bottom - Math.Clamp(y, 0, top) / top * plot.Height));

        for (var i = 0; i < curves.Count; i++)
        {
            using var line = new SKPaint { Color = Colors[i % Colors.Length], IsAntialias = true, StrokeWidth = 2, Style = SKPaintStyle.Stroke };
            using var dot = new SKPaint { Color = Colors[i % Colors.Length], IsAntialias = true };
            var points = curves[i].Points.Where(p => double.IsFinite(value(p))).Select(p => Map(p.Iteration, value(p))).ToList();
            using var path = new SKPath();
            for (var k = 0; k < points.Count; k++)
            {
                if (k == 0) path.MoveTo(points[k]); else path.LineTo(points[k]);
                canvas.DrawCircle(points[k], 2.5f, dot);
            }
            canvas.DrawPath(path, line);
        }
    }

    private static void Legend(SKCanvas canvas, IReadOnlyList<ValidationCurve> curves, int top)
    {
        using var font = new SKFont(SKTypeface.Default, 13);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (var i = 0; i < curves.Count; i++)
        {
            var (x, y) = (Margin + i % 2 * PanelWidth, top + i / 2 * LegendLine);
            using var swatch = new SKPaint { Color = Colors[i % Colors.Length] };
            canvas.DrawRect(new SKRect(x, y - 10, x + 24, y - 2), swatch);
            canvas.DrawText($"{curves[i].Method} ({curves[i].LabeledCases} labeled)", x + 32, y, font, text);
        }
    }
}
