using Pmcm.Core.Data;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Transforms;

/// <summary>
/// The reference RandomCrop: pad by <see cref="CropPadding"/> (zeros for image, label and SDF alike),
/// then cut a patch at an origin drawn per axis (X, then Y, then Z) uniformly in
/// [0, paddedSize − patch) — numpy's <c>randint(0, w − patch)</c> excludes the upper end, so a window
/// flush with the far edge is never chosen.
/// </summary>
public static class RandomCrop
{
    public static Sample Apply(Sample sample, Shape3 patch, Rng rng)
    {
        var pad = CropPadding.For(sample.Shape, patch);
        var padded = new Shape3(sample.Shape.X + 2 * pad.X, sample.Shape.Y + 2 * pad.Y, sample.Shape.Z + 2 * pad.Z);
        var origin = new Shape3Offset(rng.NextInt(padded.X - patch.X), rng.NextInt(padded.Y - patch.Y), rng.NextInt(padded.Z - patch.Z));
        return Crop(sample, patch, pad, origin);
    }

    /// <summary>The patch at <paramref name="origin"/> of the volume padded by <paramref name="pad"/> on both sides.</summary>
    public static Sample Crop(Sample sample, Shape3 patch, Shape3Offset pad, Shape3Offset origin)
    {
        var (ox, oy, oz) = (origin.X - pad.X, origin.Y - pad.Y, origin.Z - pad.Z);
        var image = new float[patch.Count];
        BoxCopy.Extract<float>(sample.Image, sample.Shape, ox, oy, oz, image, patch);
        byte[]? label = null;
        if (sample.Label is not null)
        {
            label = new byte[patch.Count];
            BoxCopy.Extract<byte>(sample.Label, sample.Shape, ox, oy, oz, label, patch);
        }
        float[]? sdf = null;
        if (sample.Sdf is not null)
        {
            sdf = new float[patch.Count];
            BoxCopy.Extract<float>(sample.Sdf, sample.Shape, ox, oy, oz, sdf, patch);
        }
        return sample.With(patch, image, label, sdf);
    }
}
