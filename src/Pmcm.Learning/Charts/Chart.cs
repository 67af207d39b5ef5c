using Pmcm.Core.IO;
using SkiaSharp;

namespace Pmcm.Learning.Charts;

/// <summary>
/// A white PNG canvas with what every chart of the project draws the same way: framed plot areas with ticks,
/// titles, line series with dots, and matplotlib's tab10 colours, so that the training curves, the validation
/// curves and the experiment bars look alike. <see cref="Save"/> writes the PNG atomically.
/// </summary>
public sealed class Chart : IDisposable
{
    /// <summary>matplotlib's tab10: up to ten series get distinct colours.</summary>
    public static readonly SKColor[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    private readonly SKBitmap bitmap;
    public SKCanvas Canvas { get; }
    public SKFont Font { get; } = new(SKTypeface.Default, 13);
    public SKPaint Ink { get; } = new() { Color = SKColors.Black, IsAntialias = true, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
    public SKPaint Text { get; } = new() { Color = SKColors.Black, IsAntialias = true };

    public Chart(int width, int height)
    {
        bitmap = new SKBitmap(width, height);
        Canvas = new SKCanvas(bitmap);
        Canvas.Clear(SKColors.White);
    }

    public static SKColor Colour(int index) => Palette[index % Palette.Length];

    /// <summary>The plot's frame and its title above it.</summary>
    public void Frame(SKRect plot, string title, float titleY)
    {
        Canvas.DrawRect(plot, Ink);
        Canvas.DrawText(title, plot.Left, titleY, Font, Text);
    }

    /// <summary>Five ticks up the left side, labelled from <paramref name="yMin"/> to <paramref name="yMax"/>, the labels from <paramref name="labelX"/>.</summary>
    public void YTicks(SKRect plot, double yMin, double yMax, float labelX)
    {
        for (var t = 0; t <= 4; t++)
        {
            var y = plot.Bottom - t / 4f * plot.Height;
            Canvas.DrawLine(plot.Left - 4, y, plot.Left, y, Ink);
            Canvas.DrawText((yMin + (yMax - yMin) * t / 4).ToString("G3"), labelX, y + 4, Font, Text);
        }
    }

    /// <summary>Five ticks along the bottom from 0 to <paramref name="xMax"/>, and the axis name under the right end.</summary>
    public void XTicks(SKRect plot, double xMax, string name)
    {
        for (var t = 0; t <= 4; t++)
        {
            var x = plot.Left + t / 4f * plot.Width;
            Canvas.DrawLine(x, plot.Bottom, x, plot.Bottom + 4, Ink);
            Canvas.DrawText((xMax * t / 4.0).ToString("G6"), x - 10, plot.Bottom + 18, Font, Text);
        }
        Canvas.DrawText(name, plot.Right - 60, plot.Bottom + 34, Font, Text);
    }

    /// <summary>
    /// A series as a line through its finite points, x in [0, <paramref name="xMax"/>] and y clamped to
    /// [<paramref name="yMin"/>, <paramref name="yMax"/>], with a dot on each point when there are few enough to see.
    /// </summary>
    public void Line(SKRect plot, IEnumerable<(double X, double Y)> points, double xMax, double yMin, double yMax, SKColor colour, float width)
    {
        if (yMax <= yMin) yMax = yMin + 1;
        var mapped = points.Where(p => double.IsFinite(p.Y)).Select(p => new SKPoint(
            (float)(plot.Left + p.X / xMax * plot.Width),
            (float)(plot.Bottom - (Math.Clamp(p.Y, yMin, yMax) - yMin) / (yMax - yMin) * plot.Height))).ToList();
        using var line = new SKPaint { Color = colour, IsAntialias = true, StrokeWidth = width, Style = SKPaintStyle.Stroke };
        using var dot = new SKPaint { Color = colour, IsAntialias = true };
        using var path = new SKPath();
        for (var i = 0; i < mapped.Count; i++)
        {
            if (i == 0) path.MoveTo(mapped[i]); else path.LineTo(mapped[i]);
            if (mapped.Count < 100) Canvas.DrawCircle(mapped[i], 2.5f, dot);
        }
        Canvas.DrawPath(path, line);
    }

    /// <summary>Text in a series' colour.</summary>
    public void Label(string text, float x, float y, SKColor colour)
    {
        using var paint = new SKPaint { Color = colour, IsAntialias = true };
        Canvas.DrawText(text, x, y, Font, paint);
    }

    public void Save(string path)
    {
        Canvas.Flush();
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }

    public void Dispose()
    {
        Text.Dispose();
        Ink.Dispose();
        Font.Dispose();
        Canvas.Dispose();
        bitmap.Dispose();
    }
}
