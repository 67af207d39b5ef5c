using Pmcm.Core;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using SkiaSharp;

namespace Pmcm.Cli.Rendering;

/// <summary>
/// A PNG of three orthogonal slices through one voxel — axial (rows Y, columns X), coronal (rows Z from the top
/// slice down, columns X) and sagittal (rows Z from the top down, columns Y) — side by side, grey image with the
/// reference outline in <see cref="ReferenceColour"/>, the prediction's in <see cref="PredictionColour"/>, and
/// <see cref="BothColour"/> where the two outlines coincide. Grey levels as <see cref="OverlayRenderer"/>.
/// </summary>
public static class OrthogonalSlices
{
    public static readonly SKColor ReferenceColour = new(0x30, 0xE0, 0x30);
    public static readonly SKColor PredictionColour = new(0xFF, 0x30, 0x30);
    public static readonly SKColor BothColour = new(0xFF, 0xE0, 0x00);
    public const int Gap = 4;

    private enum Plane { Axial, Coronal, Sagittal }

    public static void Write(string pngPath, Volume image, bool[] reference, bool[] prediction, (int X, int Y, int Z) centre, int scale)
    {
        using var bitmap = Render(image, reference, prediction, centre, scale);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100)
                        ?? throw new PmcmException($"{pngPath}: could not encode the slices as PNG");
        AtomicFile.Write(pngPath, stream => png.SaveTo(stream));
    }

    /// <summary>The three slices as a bitmap (the caller disposes it), for pictures that combine several cases.</summary>
    public static SKBitmap Render(Volume image, bool[] reference, bool[] prediction, (int X, int Y, int Z) centre, int scale)
    {
        var shape = image.Shape;
        if (reference.LongLength != shape.Count || prediction.LongLength != shape.Count)
            throw new PmcmException($"slices: masks of {reference.LongLength} and {prediction.LongLength} voxels for an image of {shape}");
        if (scale < 1) throw new PmcmException("slices: scale must be 1 or more");

        var (low, high) = OverlayRenderer.GreyRange(image.Data, 1, 99);
        Plane[] planes = [Plane.Axial, Plane.Coronal, Plane.Sagittal];
        var sizes = planes.Select(p => Size(p, shape)).ToArray();
        var width = sizes.Sum(s => s.Columns * scale) + Gap * (planes.Length - 1);
        var height = sizes.Max(s => s.Rows) * scale;
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.Black);

        var left = 0;
        for (var p = 0; p < planes.Length; p++)
        {
            var (columns, rows) = sizes[p];
            for (var column = 0; column < columns; column++)
            for (var row = 0; row < rows; row++)
            {
                var index = Voxel(planes[p], shape, centre, column, row);
                var onReference = OnOutline(reference, planes[p], shape, centre, column, row);
                var onPrediction = OnOutline(prediction, planes[p], shape, centre, column, row);
                var colour = (onReference, onPrediction) switch
                {
                    (true, true) => BothColour,
                    (true, false) => ReferenceColour,
                    (false, true) => PredictionColour,
                    _ => OverlayRenderer.Grey(image.Data[index], low, high),
                };
                for (var dx = 0; dx < scale; dx++)
                for (var dy = 0; dy < scale; dy++)
                    bitmap.SetPixel(left + column * scale + dx, row * scale + dy, colour);
            }
            left += columns * scale + Gap;
        }

        return bitmap;
    }

    /// <summary>
    /// The voxel the slices pass through: the rounded centroid of the reference, else of the prediction, else the
    /// volume's centre.
    /// </summary>
    public static (int X, int Y, int Z) Centre(bool[] reference, bool[] prediction, Shape3 shape)
    {
        foreach (var mask in new[] { reference, prediction })
        {
            double sx = 0, sy = 0, sz = 0;
            long n = 0;
            for (var x = 0; x < shape.X; x++)
            for (var y = 0; y < shape.Y; y++)
            for (var z = 0; z < shape.Z; z++)
            {
                if (!mask[shape.Index(x, y, z)]) continue;
                sx += x; sy += y; sz += z; n++;
            }
            if (n > 0) return (Round(sx / n), Round(sy / n), Round(sz / n));
        }
        return (shape.X / 2, shape.Y / 2, shape.Z / 2);
    }

    private static int Round(double v) => (int)Math.Round(v, MidpointRounding.AwayFromZero);

    /// <summary>The smallest integer zoom that draws the volume's largest side with at least <paramref name="pixels"/> pixels.</summary>
    public static int ScaleFor(Shape3 shape, int pixels = 160) =>
        Math.Max(1, (int)Math.Ceiling(pixels / (double)Math.Max(shape.X, Math.Max(shape.Y, shape.Z))));

    private static (int Columns, int Rows) Size(Plane plane, Shape3 shape) => plane switch
    {
        Plane.Axial => (shape.X, shape.Y),
        Plane.Coronal => (shape.X, shape.Z),
        _ => (shape.Y, shape.Z),
    };

    // The voxel under a slice pixel, or -1 outside the slice.
    private static int Voxel(Plane plane, Shape3 shape, (int X, int Y, int Z) centre, int column, int row)
    {
        var (columns, rows) = Size(plane, shape);
        if (column < 0 || row < 0 || column >= columns || row >= rows) return -1;
        return plane switch
        {
            Plane.Axial => shape.Index(column, row, centre.Z),
            Plane.Coronal => shape.Index(column, centre.Y, shape.Z - 1 - row),
            _ => shape.Index(centre.X, column, shape.Z - 1 - row),
        };
    }

    // A foreground pixel with a background (or out-of-slice) neighbour in the slice's plane.
    private static bool OnOutline(bool[] mask, Plane plane, Shape3 shape, (int X, int Y, int Z) centre, int column, int row)
    {
        if (!mask[Voxel(plane, shape, centre, column, row)]) return false;
        foreach (var (dc, dr) in new[] { (-1, 0), (1, 0), (0, -1), (0, 1) })
        {
            var neighbour = Voxel(plane, shape, centre, column + dc, row + dr);
            if (neighbour < 0 || !mask[neighbour]) return true;
        }
        return false;
    }
}
