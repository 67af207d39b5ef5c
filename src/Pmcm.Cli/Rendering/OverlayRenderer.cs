using Pmcm.Core;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using SkiaSharp;

namespace Pmcm.Cli.Rendering;

/// <summary>
/// A PNG for a quick look at a segmentation: a few axial slices through the mask (evenly spread over the
/// Z range the mask covers, or over the whole volume when it is empty), grey image with the mask's outline.
/// Slice rows are Y, columns X.
/// </summary>
public static class OverlayRenderer
{
    public static void Write(string pngPath, Volume image, byte[] mask, OverlayOptions? options = null)
    {
        options ??= new OverlayOptions();
        var shape = image.Shape;
        if (mask.LongLength != shape.Count) throw new PmcmException($"overlay: mask has {mask.LongLength} voxels but the image is {shape}");
        if (options.Slices < 1 || options.Scale < 1) throw new PmcmException("overlay: at least one slice at scale 1 or more");

        var slices = PickSlices(mask, shape, options.Slices);
        var (low, high) = GreyRange(image.Data, options.LowPercentile, options.HighPercentile);
        var width = slices.Length * shape.X * options.Scale + (slices.Length - 1) * options.Gap;
        var height = shape.Y * options.Scale;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.Black);
        var contour = new SKColor((byte)(options.ContourRgb >> 16), (byte)(options.ContourRgb >> 8), (byte)options.ContourRgb);

        for (var s = 0; s < slices.Length; s++)
        {
            var z = slices[s];
            var left = s * (shape.X * options.Scale + options.Gap);
            for (var x = 0; x < shape.X; x++)
            for (var y = 0; y < shape.Y; y++)
            {
                var i = shape.Index(x, y, z);
                var colour = OnOutline(mask, shape, x, y, z) ? contour : Grey(image.Data[i], low, high);
                for (var dx = 0; dx < options.Scale; dx++)
                for (var dy = 0; dy < options.Scale; dy++)
                    bitmap.SetPixel(left + x * options.Scale + dx, y * options.Scale + dy, colour);
            }
        }

        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100)
                        ?? throw new PmcmException($"{pngPath}: could not encode the overlay as PNG");
        AtomicFile.Write(pngPath, stream => png.SaveTo(stream));
    }

    /// <summary>Z indices evenly spread over the slices that hold foreground (all slices when there is none).</summary>
    public static int[] PickSlices(byte[] mask, Shape3 shape, int count)
    {
        int first = -1, last = -1;
        for (var z = 0; z < shape.Z; z++)
            if (SliceHasForeground(mask, shape, z))
            {
                if (first < 0) first = z;
                last = z;
            }
        if (first < 0) (first, last) = (0, shape.Z - 1);
        var n = Math.Min(count, last - first + 1);
        // Interior points of n + 1 equal steps, so the first and last picks are not the mask's thin end caps.
        return Enumerable.Range(1, n).Select(k => first + (int)Math.Round((last - first) * k / (double)(n + 1))).Distinct().ToArray();
    }

    private static bool SliceHasForeground(byte[] mask, Shape3 shape, int z)
    {
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
            if (mask[shape.Index(x, y, z)] != 0) return true;
        return false;
    }

    // A foreground pixel with a background (or out-of-slice) neighbour in the slice's plane.
    private static bool OnOutline(byte[] mask, Shape3 shape, int x, int y, int z)
    {
        if (mask[shape.Index(x, y, z)] == 0) return false;
        return x == 0 || y == 0 || x == shape.X - 1 || y == shape.Y - 1
               || mask[shape.Index(x - 1, y, z)] == 0 || mask[shape.Index(x + 1, y, z)] == 0
               || mask[shape.Index(x, y - 1, z)] == 0 || mask[shape.Index(x, y + 1, z)] == 0;
    }

    internal static (float Low, float High) GreyRange(float[] data, double lowPercentile, double highPercentile)
    {
        var sorted = (float[])data.Clone();
        Array.Sort(sorted);
        var low = sorted[(int)((sorted.Length - 1) * lowPercentile / 100)];
        var high = sorted[(int)((sorted.Length - 1) * highPercentile / 100)];
        return (low, high > low ? high : low + 1);
    }

    internal static SKColor Grey(float value, float low, float high)
    {
        var g = (byte)Math.Clamp((value - low) / (high - low) * 255, 0, 255);
        return new SKColor(g, g, g);
    }
}
