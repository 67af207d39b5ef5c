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
        var src = sample.Shape;
        var dst = k % 2 == 0 ? src : new Shape3(src.Y, src.X, src.Z);
        var image = new float[dst.Count];
        Remap<float>(sample.Image, src, image, dst, k, flipAxis);
        byte[]? label = null;
        if (sample.Label is not null)
        {
            label = new byte[dst.Count];
            Remap<byte>(sample.Label, src, label, dst, k, flipAxis);
        }
        float[]? sdf = null;
        if (sample.Sdf is not null)
        {
            sdf = new float[dst.Count];
            Remap<float>(sample.Sdf, src, sdf, dst, k, flipAxis);
        }
        return sample.With(dst, image, label, sdf);
    }

    /// <summary>
    /// Each output (i, j) line along Z comes from one source (x, y) line: undo the flip on the output
    /// coordinates, then undo numpy's rot90 (k=1: out[i,j] = in[j, Y−1−i]; k=2: in[X−1−i, Y−1−j];
    /// k=3: in[X−1−j, i]).
    /// </summary>
    private static void Remap<T>(T[] src, Shape3 srcShape, T[] dst, Shape3 dstShape, int k, int flipAxis) where T : unmanaged
    {
        Parallel.For(0, dstShape.X, i =>
        {
            for (var j = 0; j < dstShape.Y; j++)
            {
                var (ri, rj) = flipAxis == 0 ? (dstShape.X - 1 - i, j) : (i, dstShape.Y - 1 - j);
                var (x, y) = k switch
                {
                    0 => (ri, rj),
                    1 => (rj, srcShape.Y - 1 - ri),
                    2 => (srcShape.X - 1 - ri, srcShape.Y - 1 - rj),
                    _ => (srcShape.X - 1 - rj, ri),
                };
                Array.Copy(src, srcShape.Index(x, y, 0), dst, dstShape.Index(i, j, 0), dstShape.Z);
            }
        });
    }
}
