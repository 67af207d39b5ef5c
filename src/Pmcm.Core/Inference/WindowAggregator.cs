using Pmcm.Core.Volumes;

namespace Pmcm.Core.Inference;

/// <summary>
/// Blends per-window predictions into one volume: each voxel gets Σ wᵢ·pᵢ / Σ wᵢ over the windows that
/// cover it. Sums are kept in double so that, e.g., identical windows average back to exactly their
/// value. Windows may hang over the volume's edge (into the padding); only the part inside counts,
/// which is what the reference's "accumulate on the padded volume, then crop" amounts to.
/// </summary>
public sealed class WindowAggregator(Shape3 volume)
{
    private readonly double[] _sum = new double[volume.Count];
    private readonly double[] _weight = new double[volume.Count];

    public Shape3 Volume { get; } = volume;

    /// <summary>Accumulates <paramref name="values"/> (a patch-shaped array) at <paramref name="origin"/> with weight 1 per voxel.</summary>
    public void Add(Shape3Offset origin, Shape3 patch, ReadOnlySpan<float> values) => Add(origin, patch, values, []);

    /// <summary>Accumulates <paramref name="values"/> weighted by <paramref name="weights"/> (patch-shaped, or empty for 1).</summary>
    public void Add(Shape3Offset origin, Shape3 patch, ReadOnlySpan<float> values, ReadOnlySpan<float> weights)
    {
        if (values.Length != patch.Count || (weights.Length != 0 && weights.Length != patch.Count))
            throw new ArgumentException($"window values/weights do not match patch {patch}");
        var x0 = Math.Max(0, origin.X);
        var x1 = Math.Min(Volume.X, origin.X + patch.X);
        var y0 = Math.Max(0, origin.Y);
        var y1 = Math.Min(Volume.Y, origin.Y + patch.Y);
        var z0 = Math.Max(0, origin.Z);
        var z1 = Math.Min(Volume.Z, origin.Z + patch.Z);
        for (var x = x0; x < x1; x++)
        for (var y = y0; y < y1; y++)
        {
            var src = patch.Index(x - origin.X, y - origin.Y, z0 - origin.Z);
            var dst = Volume.Index(x, y, z0);
            for (var k = 0; k < z1 - z0; k++)
            {
                double w = weights.Length == 0 ? 1f : weights[src + k];
                _sum[dst + k] += w * values[src + k];
                _weight[dst + k] += w;
            }
        }
    }

    /// <summary>Total weight at a voxel (the window count under uniform weighting).</summary>
    public double WeightAt(int x, int y, int z) => _weight[Volume.Index(x, y, z)];

    /// <summary>The blended value of every voxel; every voxel must have been covered.</summary>
    public float[] Average()
    {
        var result = new float[_sum.Length];
        for (var i = 0; i < result.Length; i++)
        {
            if (_weight[i] <= 0) throw new InvalidOperationException($"voxel {i} of {Volume} was covered by no window");
            result[i] = (float)(_sum[i] / _weight[i]);
        }
        return result;
    }
}
