using Pmcm.Core.Volumes;

namespace Pmcm.Core.Geometry;

/// <summary>
/// Exact Euclidean distance transform with the semantics of scipy's
/// <c>distance_transform_edt(mask, sampling)</c>: every true voxel gets its distance (in the units of
/// <c>spacing</c>) to the nearest false voxel; false voxels get 0.
/// A mask without any false voxel has no distance to measure: every voxel is then +∞
/// (scipy instead measures to a phantom voxel at (−1, 0, 0), which means nothing).
/// </summary>
/// <remarks>
/// Separable and linear time: one exact 1-D pass per axis, the first (Z, contiguous) a two-sided scan,
/// the other two the lower envelope of parabolas of Felzenszwalb &amp; Huttenlocher (2012).
/// Squared distances are carried in double between passes; lines run in parallel.
/// Results are double[] because scipy's are float64 and the metrics compare them exactly.
/// </remarks>
public static class EuclideanDistance
{
    /// <summary>Distance of each true voxel to the nearest false voxel; spacing (mm per voxel along X, Y, Z) defaults to 1.</summary>
    public static double[] Transform(bool[] mask, Shape3 shape, double[]? spacing = null) =>
        Run(mask, shape, spacing, takeRoot: true);

    /// <summary>The squared distances (no square root taken).</summary>
    public static double[] SquaredTransform(bool[] mask, Shape3 shape, double[]? spacing = null) =>
        Run(mask, shape, spacing, takeRoot: false);

    private static double[] Run(bool[] mask, Shape3 shape, double[]? spacing, bool takeRoot)
    {
        if (mask.LongLength != shape.Count)
            throw new PmcmException($"distance transform: mask has {mask.LongLength} voxels but shape {shape} needs {shape.Count}");
        var (sx, sy, sz) = Spacing(spacing);
        var d = new double[mask.Length];
        ScanZ(mask, shape, sz * sz, d);
        EnvelopeY(shape, sy * sy, d);
        EnvelopeX(shape, sx * sx, d, takeRoot);
        return d;
    }

    private static (double, double, double) Spacing(double[]? spacing)
    {
        if (spacing is null) return (1, 1, 1);
        if (spacing.Length != 3 || spacing.Any(s => !(s > 0) || double.IsInfinity(s)))
            throw new PmcmException($"spacing must be three positive numbers, got [{string.Join(", ", spacing)}]");
        return (spacing[0], spacing[1], spacing[2]);
    }

    // Along Z each voxel only needs its distance to the nearest false voxel of its own line: two scans.
    private static void ScanZ(bool[] mask, Shape3 shape, double s2, double[] d)
    {
        var nz = shape.Z;
        Parallel.For(0, shape.X * shape.Y, line =>
        {
            var start = line * nz;
            var last = -1;
            for (var z = 0; z < nz; z++)
            {
                if (!mask[start + z]) last = z;
                d[start + z] = last < 0 ? double.PositiveInfinity : (z - last) * (double)(z - last) * s2;
            }
            last = -1;
            for (var z = nz - 1; z >= 0; z--)
            {
                if (!mask[start + z]) last = z;
                else if (last >= 0)
                {
                    var here = (last - z) * (double)(last - z) * s2;
                    if (here < d[start + z]) d[start + z] = here;
                }
            }
        });
    }

    // Y lines of one X slab are strided by Z; the slab (Y·Z values) stays in cache while its lines are done.
    private static void EnvelopeY(Shape3 shape, double s2, double[] d)
    {
        var (ny, nz) = (shape.Y, shape.Z);
        Parallel.For(0, shape.X, () => new LineBuffers(ny), (x, _, buf) =>
        {
            for (var z = 0; z < nz; z++)
            {
                var start = x * ny * nz + z;
                buf.Envelope(d, start, nz, ny, s2, takeRoot: false);
            }
            return buf;
        }, _ => { });
    }

    // X lines are strided by Y·Z; neighbouring z share cache lines, so z runs innermost.
    private static void EnvelopeX(Shape3 shape, double s2, double[] d, bool takeRoot)
    {
        var (nx, ny, nz) = (shape.X, shape.Y, shape.Z);
        var stride = ny * nz;
        Parallel.For(0, ny, () => new LineBuffers(nx), (y, _, buf) =>
        {
            for (var z = 0; z < nz; z++)
                buf.Envelope(d, y * nz + z, stride, nx, s2, takeRoot);
            return buf;
        }, _ => { });
    }

    /// <summary>Per-thread scratch for the 1-D lower envelope of parabolas.</summary>
    private sealed class LineBuffers(int n)
    {
        private readonly double[] _f = new double[n];
        private readonly int[] _site = new int[n];
        private readonly double[] _from = new double[n + 1];

        /// <summary>
        /// Replaces the line's squared distances f by min over p of f(p) + s2·(q − p)², in place.
        /// Sites at +∞ (no false voxel seen yet) take no part; a line without any finite site stays +∞.
        /// </summary>
        public void Envelope(double[] d, int start, int stride, int length, double s2, bool takeRoot)
        {
            var f = _f;
            var finite = 0;
            var allZero = true;
            for (var q = 0; q < length; q++)
            {
                var value = d[start + q * stride];
                f[q] = value;
                if (!double.IsPositiveInfinity(value)) finite++;
                if (value != 0) allZero = false;
            }
            if (allZero) return;
            if (finite == 0)
                return; // +∞ everywhere; a square root would not change it either

            var site = _site;
            var from = _from;
            var k = -1;
            for (var q = 0; q < length; q++)
            {
                var fq = f[q];
                if (double.IsPositiveInfinity(fq)) continue;
                var cq = fq + s2 * q * (double)q;
                var s = double.NegativeInfinity;
                while (k >= 0)
                {
                    var p = site[k];
                    s = (cq - (f[p] + s2 * p * (double)p)) / (2 * s2 * (q - p));
                    if (s > from[k]) break;
                    k--;
                }
                k++;
                site[k] = q;
                from[k] = k == 0 ? double.NegativeInfinity : s;
            }
            from[k + 1] = double.PositiveInfinity;

            var j = 0;
            for (var q = 0; q < length; q++)
            {
                while (from[j + 1] < q) j++;
                var p = site[j];
                var value = s2 * (q - p) * (double)(q - p) + f[p];
                d[start + q * stride] = takeRoot ? Math.Sqrt(value) : value;
            }
        }
    }
}
