using Pmcm.Core.Morphology;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Metrics;

/// <summary>
/// Dice, Jaccard, HD95 and ASD of one case, computed as medpy 0.4's <c>medpy.metric.binary</c>
/// (<c>dc</c>, <c>jc</c>, <c>hd95</c>, <c>asd</c>) with its default 6-connectivity surfaces.
/// </summary>
/// <remarks>
/// A surface is the mask minus its erosion by the 6-neighbour cross, with outside the volume counting
/// as background (so mask voxels on the volume's edge are surface). The distance from one surface to the
/// other is read from one EDT of the complement of the other surface. HD95 is numpy's linear-interpolated
/// 95th percentile of both directions' distances together; ASD is the mean prediction → reference
/// distance only (medpy's <c>asd</c>, not the symmetric <c>assd</c>).
/// </remarks>
public static class SegmentationMetrics
{
    private const double HdPercentile = 95;

    public static SegmentationScores Compute(bool[] prediction, bool[] reference, Shape3 shape, double[]? spacing = null)
    {
        if (prediction.Length != reference.Length || prediction.LongLength != shape.Count)
            throw new PmcmException($"prediction has {prediction.LongLength} voxels and reference {reference.LongLength}, but shape {shape} needs {shape.Count}");

        long both = 0, predicted = 0, expected = 0;
        for (var i = 0; i < prediction.Length; i++)
        {
            if (prediction[i]) predicted++;
            if (reference[i]) expected++;
            if (prediction[i] && reference[i]) both++;
        }
        var emptyPrediction = predicted == 0;
        var emptyReference = expected == 0;
        if (emptyPrediction) return new SegmentationScores(0, 0, 0, 0, true, emptyReference);

        var dice = 2.0 * both / (predicted + expected);
        var jaccard = both / (double)(predicted + expected - both);
        if (emptyReference) return new SegmentationScores(dice, jaccard, double.NaN, double.NaN, false, true);

        // Surfaces and distances involve only the voxels of either mask: work on their bounding box grown by one
        // voxel (zeros beyond the volume play the volume edge's part), not on the whole scan. C order is kept,
        // so the distances come out in the same order and the scores are bit for bit those of the whole grid.
        var (box, x0, y0, z0) = UnionBox(prediction, reference, shape);
        var predictionBox = new bool[box.Count];
        var referenceBox = new bool[box.Count];
        BoxCopy.Extract<bool>(prediction, shape, x0, y0, z0, predictionBox, box);
        BoxCopy.Extract<bool>(reference, shape, x0, y0, z0, referenceBox, box);
        var predictionSurface = Surface(predictionBox, box);
        var referenceSurface = Surface(referenceBox, box);
        var toReference = EuclideanDistance.DistanceToNearest(referenceSurface, predictionSurface, box, spacing);
        var toPrediction = EuclideanDistance.DistanceToNearest(predictionSurface, referenceSurface, box, spacing);

        var asd = Mean(toReference);
        var all = new double[toReference.Length + toPrediction.Length];
        toReference.CopyTo(all, 0);
        toPrediction.CopyTo(all, toReference.Length);
        var hd95 = Percentile(all, HdPercentile);
        return new SegmentationScores(dice, jaccard, hd95, asd, false, false);
    }

    /// <summary>Scores of two label volumes (foreground = value &gt; 0); spacing defaults to 1 voxel.</summary>
    public static SegmentationScores Compute(Volume prediction, Volume reference, double[]? spacing = null)
    {
        if (prediction.Shape != reference.Shape)
            throw new PmcmException($"prediction is {prediction.Shape} but reference is {reference.Shape}");
        return Compute(prediction.ToMask(), reference.ToMask(), prediction.Shape, spacing);
    }

    /// <summary>Mask voxels with a 6-neighbour outside the mask or outside the volume (medpy's <c>mask ^ binary_erosion(mask)</c>).</summary>
    /// <summary>The bounding box of both masks' voxels, one voxel larger on every side, and its origin.</summary>
    private static (Shape3 Box, int X0, int Y0, int Z0) UnionBox(bool[] a, bool[] b, Shape3 shape)
    {
        int xMin = int.MaxValue, yMin = int.MaxValue, zMin = int.MaxValue, xMax = -1, yMax = -1, zMax = -1;
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        {
            var start = shape.Index(x, y, 0);
            for (var z = 0; z < shape.Z; z++)
            {
                if (!a[start + z] && !b[start + z]) continue;
                (xMin, xMax) = (Math.Min(xMin, x), Math.Max(xMax, x));
                (yMin, yMax) = (Math.Min(yMin, y), Math.Max(yMax, y));
                (zMin, zMax) = (Math.Min(zMin, z), Math.Max(zMax, z));
            }
        }
        return (new Shape3(xMax - xMin + 3, yMax - yMin + 3, zMax - zMin + 3), xMin - 1, yMin - 1, zMin - 1);
    }

    public static bool[] Surface(bool[] mask, Shape3 shape) => Boundary.Inner(mask, shape, volumeEdgeIsOutside: true);

    /// <summary>numpy's <c>percentile(values, q)</c> with its default linear interpolation (sorts the array in place).</summary>
    public static double Percentile(double[] values, double q)
    {
        if (values.Length == 0) throw new ArgumentException("percentile of no values", nameof(values));
        Array.Sort(values);
        var index = (values.Length - 1) * (q / 100);
        var below = (int)Math.Floor(index);
        var above = Math.Min(below + 1, values.Length - 1);
        var t = index - below;
        var (a, b) = (values[below], values[above]);
        // numpy's _lerp: interpolate from the nearer end, so t = 1 gives b exactly.
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
    }

    /// <summary>numpy's mean: pairwise summation, so long sums round as numpy's do.</summary>
    public static double Mean(ReadOnlySpan<double> values) => PairwiseSum(values) / values.Length;

    private static double PairwiseSum(ReadOnlySpan<double> values)
    {
        const int Block = 128;
        if (values.Length <= Block)
        {
            // numpy unrolls its base case into 8 partial sums.
            if (values.Length < 8)
            {
                var s = 0.0;
                foreach (var v in values) s += v;
                return s;
            }
            Span<double> r = stackalloc double[8];
            for (var j = 0; j < 8; j++) r[j] = values[j];
            var i = 8;
            for (; i < values.Length - values.Length % 8; i += 8)
                for (var j = 0; j < 8; j++) r[j] += values[i + j];
            var sum = (r[0] + r[1] + (r[2] + r[3])) + (r[4] + r[5] + (r[6] + r[7]));
            for (; i < values.Length; i++) sum += values[i];
            return sum;
        }
        var half = values.Length / 2;
        half -= half % 8;
        return PairwiseSum(values[..half]) + PairwiseSum(values[half..]);
    }
}
