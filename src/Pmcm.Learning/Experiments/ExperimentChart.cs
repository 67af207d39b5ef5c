using Pmcm.Core.IO;
using SkiaSharp;

namespace Pmcm.Learning.Experiments;

/// <summary>A PNG comparing the methods: Dice (%) and HD95 bars with ± std (over seeds) whiskers, one bar per table row.</summary>
public static class ExperimentChart
{
    private const int PanelWidth = 520, Height = 420, Margin = 60;
    private static readonly SKColor[] Colors =
        [new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189), new(140, 86, 75)];

    public static void Write(string path, IReadOnlyList<ExperimentRow> rows)
    {
        using var bitmap = new SKBitmap(2 * PanelWidth, Height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            Panel(canvas, 0, "Dice (%)", rows, r => (100 * r.Dice.Mean, 100 * r.Dice.Std));
            Panel(canvas, PanelWidth, "HD95 (voxels, lower is better)", rows, r => (r.Hd95.Mean, r.Hd95.Std));
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }

    private static void Panel(SKCanvas canvas, int left, string title, IReadOnlyList<ExperimentRow> rows, Func<ExperimentRow, (double Mean, double Std)> value)
    {
        var plot = new SKRect(left + Margin, 40, left + PanelWidth - 20, Height - 110);
        using var font = new SKFont(SKTypeface.Default, 13);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, left + Margin, 24, font, text);
        canvas.DrawRect(plot, ink);
        var values = rows.Select(value).Where(v => double.IsFinite(v.Mean)).ToList();
        var top = values.Count == 0 ? 1 : Math.Max(1e-9, values.Max(v => v.Mean + (double.IsFinite(v.Std) ? v.Std : 0))) * 1.1;
        for (var t = 0; t <= 4; t++)
        {
            var y = plot.Bottom - t / 4f * plot.Height;
            canvas.DrawLine(plot.Left - 4, y, plot.Left, y, ink);
            canvas.DrawText((top * t / 4).ToString("G3"), left + 8, y + 4, font, text);
        }
        var width = plot.Width / Math.Max(1, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (mean, std) = value(rows[i]);
            if (!double.IsFinite(mean)) continue;
            var x = plot.Left + i * width;
            var h = (float)(mean / top * plot.Height);
            using var fill = new SKPaint { Color = Colors[i % Colors.Length], IsAntialias = true };
            canvas.DrawRect(new SKRect(x + width * 0.15f, plot.Bottom - h, x + width * 0.85f, plot.Bottom), fill);
            if (double.IsFinite(std))
            {
                var cx = x + width / 2;
                var (y0, y1) = ((float)(plot.Bottom - (mean - std) / top * plot.Height), (float)(plot.Bottom - (mean + std) / top * plot.Height));
                canvas.DrawLine(cx, y0, cx, y1, ink);
            }
            canvas.Save();
            canvas.Translate(x + width / 2, plot.Bottom + 8);
            canvas.RotateDegrees(35);
            canvas.DrawText($"{rows[i].Method} ({rows[i].LabeledCases})", 0, 0, font, text);
            canvas.Restore();
        }
    }
}
