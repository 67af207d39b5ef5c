using Pmcm.Core.Data;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Transforms;

/// <summary>
/// The reference RandomCrop: pad by <see cref="CropPadding"/> (zeros for image, label and SDF alike),
/// then cut a patch at an origin drawn per axis (X, then Y, then Z) uniformly in
/// [0, paddedSize − patch) — numpy's <c>randint(0, w − patch)</c> excludes the upper end, so a window
/// flush with the far edge is never chosen.
/// The crop can read the volume through a <see cref="PlaneRotFlip"/>: that equals rotating/flipping
/// first and cropping after, without building the whole rotated volume.
/// </summary>
public static class RandomCrop
{
    public static Sample Apply(Sample sample, Shape3 patch, Rng rng) => Apply(sample, PlaneRotFlip.Identity(sample.Shape), patch, rng);

    /// <summary>Random crop of <paramref name="sample"/> as seen through <paramref name="view"/>.</summary>
    public static Sample Apply(Sample sample, PlaneRotFlip view, Shape3 patch, Rng rng)
    {
        var size = view.Output;
        var pad = CropPadding.For(size, patch);
        var padded = new Shape3(size.X + 2 * pad.X, size.Y + 2 * pad.Y, size.Z + 2 * pad.Z);
        var origin = new Shape3Offset(rng.NextInt(padded.X - patch.X), rng.NextInt(padded.Y - patch.Y), rng.NextInt(padded.Z - patch.Z));
        return Crop(sample, view, patch, pad, origin);
    }

    /// <summary>The patch at <paramref name="origin"/> of the volume padded by <paramref name="pad"/> on both sides.</summary>
    public static Sample Crop(Sample sample, Shape3 patch, Shape3Offset pad, Shape3Offset origin) =>
        Crop(sample, PlaneRotFlip.Identity(sample.Shape), patch, pad, origin);

    /// <summary>The same for the volume as seen through <paramref name="view"/>.</summary>
    public static Sample Crop(Sample sample, PlaneRotFlip view, Shape3 patch, Shape3Offset pad, Shape3Offset origin)
    {
        if (view.Source != sample.Shape) throw new ArgumentException($"view is for {view.Source}, sample is {sample.Shape}");
        var corner = new Shape3Offset(origin.X - pad.X, origin.Y - pad.Y, origin.Z - pad.Z);
        var image = new float[patch.Count];
        CopyLines<float>(sample.Image, view, corner, image, patch);
        byte[]? label = null;
        if (sample.Label is not null)
        {
            label = new byte[patch.Count];
            CopyLines<byte>(sample.Label, view, corner, label, patch);
        }
        float[]? sdf = null;
        if (sample.Sdf is not null)
        {
            sdf = new float[patch.Count];
            CopyLines<float>(sample.Sdf, view, corner, sdf, patch);
        }
        return sample.With(patch, image, label, sdf);
    }

    /// <summary>dst[i, j, k] = view[corner + (i, j, k)], zero outside; dst arrives zeroed (fresh array).</summary>
    private static void CopyLines<T>(T[] src, PlaneRotFlip view, Shape3Offset corner, T[] dst, Shape3 patch) where T : unmanaged
    {
        var size = view.Output;
        var z0 = Math.Max(0, -corner.Z);
        var z1 = Math.Min(patch.Z, size.Z - corner.Z);
        if (z1 <= z0) return;
        for (var i = 0; i < patch.X; i++)
        {
            var vi = corner.X + i;
            if (vi < 0 || vi >= size.X) continue;
            for (var j = 0; j < patch.Y; j++)
            {
                var vj = corner.Y + j;
                if (vj < 0 || vj >= size.Y) continue;
                var (x, y) = view.SourceOf(vi, vj);
                Array.Copy(src, view.Source.Index(x, y, corner.Z + z0), dst, patch.Index(i, j, z0), z1 - z0);
            }
        }
    }
}
