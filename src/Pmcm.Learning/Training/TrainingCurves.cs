using Pmcm.Core.IO;
using SkiaSharp;

namespace Pmcm.Learning.Training;

/// <summary>
/// A PNG of the training curves: the total and supervised Dice losses per iteration (top) and the
/// validation Dice (bottom), each a line plot with labelled axes.
/// </summary>
internal static class TrainingCurves
{
    private const int Width = 900, PanelHeight = 300, Margin = 60;
    private static readonly SKColor[] Colors = [new(31, 119, 180), new(255, 127, 14), new(44, 160, 44)];

    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    public static void Write(string path, IReadOnlyList<Series> losses, Series validationDice)
    {
        using var bitmap = new SKBitmap(Width, 2 * PanelHeight);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            var xMax = Math.Max(1, losses.Concat([validationDice]).SelectMany(s => s.Points).Select(p => p.X).DefaultIfEmpty(1).Max());
            var lossValues = losses.SelectMany(s => s.Points).Select(p => p.Y).Where(double.IsFinite).ToArray();
            var (lossMin, lossMax) = lossValues.Length == 0 ? (0.0, 1.0) : (Math.Min(0, lossValues.Min()), lossValues.Max());
            Panel(canvas, 0, "loss", losses, xMax, lossMin, lossMax);
            Panel(canvas, PanelHeight, "validation Dice", [validationDice], xMax, 0, 1);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }

    private static void Panel(SKCanvas canvas, int top, string title, IReadOnlyList<Series> series, double xMax, double yMin, double yMax)
    {
        if (yMax <= yMin) yMax = yMin + 1;
        var plot = new SKRect(Margin, top + 30, Width - 20, top + PanelHeight - 40);
        using var font = new SKFont(SKTypeface.Default, 13);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawRect(plot, ink);
        canvas.DrawText(title, plot.Left, top + 20, font, text);
        canvas.DrawText($"{yMax:G3}", 4, plot.Top + 5, font, text);
        canvas.DrawText($"{yMin:G3}", 4, plot.Bottom, font, text);
        canvas.DrawText("0", plot.Left, plot.Bottom + 16, font, text);
        canvas.DrawText($"{xMax:G6} iterations", plot.Right - 120, plot.Bottom + 16, font, text);

        SKPoint Map(double x, double y) => new(
            (float)(plot.Left + x / xMax * plot.Width),
            (float)(plot.Bottom - (Math.Clamp(y, yMin, yMax) - yMin) / (yMax - yMin) * plot.Height));

        for (var s = 0; s < series.Count; s++)
        {
            var color = Colors[s % Colors.Length];
            using var line = new SKPaint { Color = color, IsAntialias = true, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke };
            using var label = new SKPaint { Color = color, IsAntialias = true };
            var points = series[s].Points.Where(p => double.IsFinite(p.Y)).ToList();
            using var pathLine = new SKPath();
            for (var i = 0; i < points.Count; i++)
            {
                var p = Map(points[i].X, points[i].Y);
                if (i == 0) pathLine.MoveTo(p); else pathLine.LineTo(p);
                if (points.Count < 100) canvas.DrawCircle(p, 2.5f, label);
            }
            canvas.DrawPath(pathLine, line);
            canvas.DrawText(series[s].Name, plot.Right - 260, plot.Top + 16 + 16 * s, font, label);
        }
    }
}
