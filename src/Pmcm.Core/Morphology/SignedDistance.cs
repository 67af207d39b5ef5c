using Pmcm.Core.Volumes;

namespace Pmcm.Core.Morphology;

/// <summary>
/// The normalised signed distance field PMCM trains its second task on (docs/method.md §6), computed as the
/// reference's <c>compute_sdf</c>: with pos = EDT(mask) and neg = EDT(¬mask) in voxels,
/// g = (neg − min neg)/(max neg − min neg) − (pos − min pos)/(max pos − min pos), min and max taken over
/// the whole volume; then g = 0 on the inner boundary. Negative inside, positive outside, within [−1, 1].
/// </summary>
/// <remarks>
/// Degenerate masks, as the reference: an empty mask gives 0 everywhere; a mask that fills the whole
/// volume gives NaN everywhere (the reference divides 0 by 0 there), so callers can tell it apart.
/// </remarks>
public static class SignedDistance
{
    public static float[] Compute(bool[] mask, Shape3 shape)
    {
        if (mask.LongLength != shape.Count)
            throw new PmcmException($"signed distance: mask has {mask.LongLength} voxels but shape {shape} needs {shape.Count}");
        var g = new float[mask.Length];
        var foreground = mask.Count(m => m);
        if (foreground == 0) return g;
        if (foreground == mask.Length)
        {
            Array.Fill(g, float.NaN);
            return g;
        }

        var inverse = new bool[mask.Length];
        for (var i = 0; i < mask.Length; i++) inverse[i] = !mask[i];
        var pos = EuclideanDistance.Transform(mask, shape);
        var neg = EuclideanDistance.Transform(inverse, shape);
        var (posMin, posMax) = Range(pos);
        var (negMin, negMax) = Range(neg);
        var boundary = InnerBoundary(mask, shape);
        Parallel.For(0, shape.X, x =>
        {
            var start = x * shape.Y * shape.Z;
            for (var i = start; i < start + shape.Y * shape.Z; i++)
                g[i] = boundary[i] ? 0f : (float)((neg[i] - negMin) / (negMax - negMin) - (pos[i] - posMin) / (posMax - posMin));
        });
        return g;
    }

    /// <summary>The SDF of a label volume (foreground = value &gt; 0), as a float32 volume with the label's geometry.</summary>
    public static Volume Compute(Volume label) =>
        new(label.Shape, Compute(label.ToMask(), label.Shape), label.Geometry, VoxelType.Float32);

    /// <summary>
    /// Foreground voxels with a background voxel among their 6 face neighbours (skimage
    /// <c>find_boundaries(mode='inner')</c>). Outside the volume does not count as background.
    /// </summary>
    public static bool[] InnerBoundary(bool[] mask, Shape3 shape) => Boundary.Inner(mask, shape, volumeEdgeIsOutside: false);

    private static (double Min, double Max) Range(double[] values)
    {
        var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
        foreach (var v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return (min, max);
    }
}
