using Pmcm.Core.Volumes;

namespace Pmcm.Core.Morphology;

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

    /// <summary>
    /// Distance from each voxel marked in <paramref name="at"/> to the nearest <paramref name="sites"/> voxel, in the
    /// C order of the marked voxels: what surface-distance metrics need. Only the Z range of the marked voxels and
    /// the X lines holding one are transformed, which on surfaces saves well over half the work.
    /// </summary>
    public static double[] DistanceToNearest(bool[] sites, bool[] at, Shape3 shape, double[]? spacing = null)
    {
        if (at.LongLength != shape.Count)
            throw new PmcmException($"distance transform: query mask has {at.LongLength} voxels but shape {shape} needs {shape.Count}");
        var (zFirst, zLast, xLines) = QueryRegion(at, shape);
        var d = Run(sites, site: true, shape, spacing, takeRoot: true, zFirst, zLast, xLines);
        var result = new double[at.Count(a => a)];
        var k = 0;
        for (var i = 0; i < at.Length; i++)
            if (at[i]) result[k++] = d[i];
        return result;
    }

    private static double[] Run(bool[] mask, Shape3 shape, double[]? spacing, bool takeRoot) =>
        Run(mask, site: false, shape, spacing, takeRoot, 0, shape.Z - 1, xLines: null);

    // Distances to the voxels whose mask value equals `site`; Y and X passes only for z in [zFirst, zLast],
    // and the X pass only for the (y, z) lines flagged in xLines (all when null).
    private static double[] Run(bool[] mask, bool site, Shape3 shape, double[]? spacing, bool takeRoot, int zFirst, int zLast, bool[]? xLines)
    {
        if (mask.LongLength != shape.Count)
            throw new PmcmException($"distance transform: mask has {mask.LongLength} voxels but shape {shape} needs {shape.Count}");
        var (sx, sy, sz) = Spacing(spacing);
        var d = new double[mask.Length];
        if (zFirst > zLast) return d;
        ScanZ(mask, site, shape, sz * sz, d);
        EnvelopeY(shape, sy * sy, d, zFirst, zLast);
        EnvelopeX(shape, sx * sx, d, takeRoot, zFirst, zLast, xLines);
        return d;
    }

    private static (int ZFirst, int ZLast, bool[] XLines) QueryRegion(bool[] at, Shape3 shape)
    {
        var (ny, nz) = (shape.Y, shape.Z);
        var xLines = new bool[ny * nz];
        var (zFirst, zLast) = (nz, -1);
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < ny; y++)
        {
            var start = (x * ny + y) * nz;
            for (var z = 0; z < nz; z++)
            {
                if (!at[start + z]) continue;
                xLines[y * nz + z] = true;
                if (z < zFirst) zFirst = z;
                if (z > zLast) zLast = z;
            }
        }
        return (zFirst, zLast, xLines);
    }

    private static (double, double, double) Spacing(double[]? spacing)
    {
        if (spacing is null) return (1, 1, 1);
        if (spacing.Length != 3 || spacing.Any(s => !(s > 0) || double.IsInfinity(s)))
            throw new PmcmException($"spacing must be three positive numbers, got [{string.Join(", ", spacing)}]");
        return (spacing[0], spacing[1], spacing[2]);
    }

    // Along Z each voxel only needs its distance to the nearest false voxel of its own line: two scans.
    private static void ScanZ(bool[] mask, bool site, Shape3 shape, double s2, double[] d)
    {
        var nz = shape.Z;
        Parallel.For(0, shape.X * shape.Y, line =>
        {
            var start = line * nz;
            var last = -1;
            for (var z = 0; z < nz; z++)
            {
                if (mask[start + z] == site) last = z;
                d[start + z] = last < 0 ? double.PositiveInfinity : (z - last) * (double)(z - last) * s2;
            }
            last = -1;
            for (var z = nz - 1; z >= 0; z--)
            {
                if (mask[start + z] == site) last = z;
                else if (last >= 0)
                {
                    var here = (last - z) * (double)(last - z) * s2;
                    if (here < d[start + z]) d[start + z] = here;
                }
            }
        });
    }

    // Y lines of one X slab are strided by Z; neighbouring z are done together, a block at a time.
    private static void EnvelopeY(Shape3 shape, double s2, double[] d, int zFirst, int zLast)
    {
        var (ny, nz) = (shape.Y, shape.Z);
        Parallel.For(0, shape.X, () => new LineBlock(ny), (x, _, block) =>
        {
            for (var z = zFirst; z <= zLast; z += LineBlock.Lines)
                block.Transform(d, x * ny * nz + z, Math.Min(LineBlock.Lines, zLast + 1 - z), nz, s2, takeRoot: false);
            return block;
        }, _ => { });
    }

    // X lines are strided by Y·Z; blocks of neighbouring z read whole cache lines at each x.
    private static void EnvelopeX(Shape3 shape, double s2, double[] d, bool takeRoot, int zFirst, int zLast, bool[]? xLines)
    {
        var (nx, ny, nz) = (shape.X, shape.Y, shape.Z);
        Parallel.For(0, ny, () => new LineBlock(nx), (y, _, block) =>
        {
            for (var z = zFirst; z <= zLast; z += LineBlock.Lines)
            {
                var count = Math.Min(LineBlock.Lines, zLast + 1 - z);
                if (xLines is null || Array.IndexOf(xLines, true, y * nz + z, count) >= 0)
                    block.Transform(d, y * nz + z, count, ny * nz, s2, takeRoot);
            }
            return block;
        }, _ => { });
    }

    /// <summary>Per-thread scratch: a block of neighbouring lines copied out, transformed, and copied back.</summary>
    private sealed class LineBlock(int length)
    {
        public const int Lines = 8;

        private readonly double[] _in = new double[Lines * length];
        private readonly double[] _out = new double[Lines * length];
        private readonly int[] _site = new int[length];
        private readonly double[] _from = new double[length + 1];

        /// <summary>Transforms the <paramref name="count"/> lines starting at d[start], d[start + 1], …, whose elements are <paramref name="stride"/> apart.</summary>
        public void Transform(double[] d, int start, int count, int stride, double s2, bool takeRoot)
        {
            for (var q = 0; q < length; q++)
            {
                var at = start + q * stride;
                for (var k = 0; k < count; k++) _in[k * length + q] = d[at + k];
            }
            for (var k = 0; k < count; k++)
                Envelope(_in.AsSpan(k * length, length), _out.AsSpan(k * length, length), s2);
            for (var q = 0; q < length; q++)
            {
                var at = start + q * stride;
                for (var k = 0; k < count; k++)
                {
                    var value = _out[k * length + q];
                    d[at + k] = takeRoot ? Math.Sqrt(value) : value;
                }
            }
        }

        /// <summary>
        /// g(q) = min over p of f(p) + s2·(q − p)²: the lower envelope of parabolas rooted at the finite f(p).
        /// A line without any finite value (no site seen yet) stays +∞.
        /// </summary>
        private void Envelope(ReadOnlySpan<double> f, Span<double> g, double s2)
        {
            // Lines entirely of sites (all 0) are common and already final.
            if (f.IndexOfAnyExcept(0.0) < 0)
            {
                f.CopyTo(g);
                return;
            }
            var site = _site;
            var from = _from;
            var k = -1;
            for (var q = 0; q < f.Length; q++)
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
            if (k < 0)
            {
                f.CopyTo(g);
                return;
            }
            from[k + 1] = double.PositiveInfinity;

            var j = 0;
            for (var q = 0; q < f.Length; q++)
            {
                while (from[j + 1] < q) j++;
                var p = site[j];
                g[q] = s2 * (q - p) * (double)(q - p) + f[p];
            }
        }
    }
}
