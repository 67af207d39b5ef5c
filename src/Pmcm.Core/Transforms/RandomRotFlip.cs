using Pmcm.Core.Data;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Transforms;

/// <summary>
/// The LA augmentation of the reference code: <c>np.rot90(a, k)</c> in the X–Y plane (k ∈ 0..3, counter-
/// clockwise from X towards Y as numpy defines it), then <c>np.flip(a, axis)</c> with axis ∈ {0 (X), 1 (Y)},
/// applied identically to image, label and SDF. Draw order as in the reference: k first, then the axis.
/// An odd k swaps the X and Y sizes.
/// </summary>
public static class RandomRotFlip
{
    public static Sample Apply(Sample sample, Rng rng)
    {
        var k = rng.NextInt(4);
        var axis = rng.NextInt(2);
        return Apply(sample, k, axis);
    }

    /// <summary>Rotates by <paramref name="k"/>·90° then flips along <paramref name="flipAxis"/> (0 = X, 1 = Y).</summary>
    public static Sample Apply(Sample sample, int k, int flipAxis)
    {
        if (k is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(k), k, "must be 0..3");
        if (flipAxis is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(flipAxis), flipAxis, "must be 0 or 1");
        var map = new PlaneRotFlip(k, flipAxis, sample.Shape);
        var dst = map.Output;
        var image = new float[dst.Count];
        Remap<float>(sample.Image, image, map);
        byte[]? label = null;
        if (sample.Label is not null)
        {
            label = new byte[dst.Count];
            Remap<byte>(sample.Label, label, map);
        }
        float[]? sdf = null;
        if (sample.Sdf is not null)
        {
            sdf = new float[dst.Count];
            Remap<float>(sample.Sdf, sdf, map);
        }
        return sample.With(dst, image, label, sdf);
    }

    private static void Remap<T>(T[] src, T[] dst, PlaneRotFlip map) where T : unmanaged
    {
        var (srcShape, dstShape) = (map.Source, map.Output);
        Parallel.For(0, dstShape.X, i =>
        {
            for (var j = 0; j < dstShape.Y; j++)
            {
                var (x, y) = map.SourceOf(i, j);
                Array.Copy(src, srcShape.Index(x, y, 0), dst, dstShape.Index(i, j, 0), dstShape.Z);
            }
        });
    }
}
