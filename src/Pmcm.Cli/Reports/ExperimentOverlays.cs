using System.Globalization;
using Pmcm.Cli.Rendering;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Learning;
using Pmcm.Learning.Experiments;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Training;
using SkiaSharp;

namespace Pmcm.Cli.Reports;

/// <summary>
/// The experiment report's overlay picture: for the <c>pmcm</c> and <c>supervised</c> rows at the grid's lowest
/// labeled count with a finished run of either, the best and the worst validation case by Dice (as
/// <c>result.json</c> scored them) of the first seed's run. Each case is segmented again from that run's best.pth
/// by the <see cref="Evaluator"/> and drawn as <see cref="OrthogonalSlices"/> under a caption with the scores of
/// that segmentation. A row whose first seed has not finished, or kept no best.pth, falls back to the next seed; a
/// row with none is skipped and said so.
/// </summary>
public static class ExperimentOverlays
{
    private const int CaptionHeight = 26, Pad = 8;
    private static readonly string[] Methods = [TrainingMethods.Name(TrainingMethod.Pmcm), TrainingMethods.Name(TrainingMethod.Supervised)];

    /// <summary>What was drawn (one caption per strip, top to bottom) and what was not, with why.</summary>
    public sealed record Outcome(IReadOnlyList<string> Drawn, IReadOnlyList<string> Skipped);

    /// <summary>Draws the picture at <paramref name="path"/> when there is anything to draw (else writes nothing).</summary>
    public static Outcome Write(string path, GridResults grid)
    {
        // A collect job trains nothing, so nothing else has set the thread count the grid was given.
        TorchRuntime.SetThreads(grid.Options.Template.Threads);
        var counts = grid.Options.Labeled.Where(l => l.Count is not null).OrderBy(l => l.Count).Select(l => l.ToString()).ToList();
        // A grid's scarcest rows may not have run yet: draw the lowest count at which either method has finished.
        var lowest = counts.FirstOrDefault(l => grid.Finished.Any(c => c.Result.Labeled == l && Methods.Contains(c.Result.Method))) ?? counts.FirstOrDefault();
        var drawn = new List<string>();
        var skipped = new List<string>();
        var strips = new List<(string Caption, SKBitmap Slices)>();
        try
        {
            foreach (var method in Methods.Where(m => lowest is not null && grid.Options.Methods.Any(o => TrainingMethods.Name(o) == m)))
            {
                var finished = grid.Options.Seeds
                    .Select(seed => grid.Finished.FirstOrDefault(c => c.Result.Method == method && c.Result.Labeled == lowest && c.Result.Seed == seed))
                    .OfType<FinishedCell>().ToList();
                // A grid restored from its published small files keeps weights for some runs only.
                var cell = finished.FirstOrDefault(c => File.Exists(c.Files.BestWeights));
                if (finished.Count == 0) skipped.Add($"{method} ({lowest} labeled): no seed has finished");
                else if (cell is null) skipped.Add($"{method} ({lowest} labeled): no finished seed kept its best.pth ({string.Join(", ", finished.Select(c => c.RunDirectory))})");
                else strips.AddRange(Draw(cell, grid.Options.Template.DataDirectory, grid.Options.Template.Device));
            }
            if (strips.Count > 0) Compose(path, strips);
            drawn.AddRange(strips.Select(s => s.Caption));
        }
        finally
        {
            foreach (var (_, slices) in strips) slices.Dispose();
        }
        return new Outcome(drawn, skipped);
    }

    // The best and the worst case of one run, segmented again from its best.pth.
    private static IEnumerable<(string Caption, SKBitmap Slices)> Draw(FinishedCell cell, string dataDirectory, string device)
    {
        var result = cell.Result;
        var order = Enumerable.Range(0, result.Cases.Count).OrderByDescending(i => result.Scores[i].Dice).ToList();
        (string Which, int Index)[] picks = order.Count == 1 ? [("best and worst", order[0])] : [("best", order[0]), ("worst", order[^1])];
        var model = ModelSource.Load(cell.RunDirectory);
        using var network = model.Net;
        var evaluator = Evaluator.For(model, TorchRuntime.ResolveDevice(device));
        // The folder the run trained on, unless the grid was moved (e.g. copied off a cluster): then --data.
        var data = cell.Record?.Data is { } trained && Directory.Exists(trained) ? trained : dataDirectory;
        var strips = new List<(string, SKBitmap)>();
        foreach (var (which, index) in picks)
        {
            var name = result.Cases[index];
            var c = LabeledCase.Load(name, CommunityLayout.RequireCaseFile(data, name), model.Grid);
            var scored = evaluator.Score(c);
            var reference = c.Label.Select(v => v != 0).ToArray();
            var prediction = scored.Mask.Select(v => v != 0).ToArray();
            var centre = OrthogonalSlices.Centre(reference, prediction, c.Image.Shape);
            var caption = string.Create(CultureInfo.InvariantCulture,
                $"{result.Method}, {result.LabeledCases} labeled, seed {result.Seed}, {which} case {name}: Dice {scored.Scores.Dice:F3}, HD95 {scored.Scores.Hd95:F1}");
            strips.Add((caption, OrthogonalSlices.Render(c.Image, reference, prediction, centre, OrthogonalSlices.ScaleFor(c.Image.Shape))));
        }
        return strips;
    }

    // Strips one above the other, each under its caption, on white.
    private static void Compose(string path, IReadOnlyList<(string Caption, SKBitmap Slices)> strips)
    {
        using var font = new SKFont(SKTypeface.Default, 14);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        var width = (int)Math.Ceiling(strips.Max(s => Math.Max(s.Slices.Width, font.MeasureText(s.Caption)))) + 2 * Pad;
        var height = strips.Sum(s => CaptionHeight + s.Slices.Height + Pad) + Pad;
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            var top = Pad;
            foreach (var (caption, slices) in strips)
            {
                canvas.DrawText(caption, Pad, top + CaptionHeight - 8, font, text);
                canvas.DrawBitmap(slices, Pad, top + CaptionHeight);
                top += CaptionHeight + slices.Height + Pad;
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100) ?? throw new PmcmException($"{path}: could not encode the overlays as PNG");
        AtomicFile.Write(path, stream => png.SaveTo(stream));
    }
}
