using Pmcm.Core.Volumes;

namespace Pmcm.Core.Inference;

/// <summary>
/// Blends the windows of a <see cref="WindowPlan"/> into one volume: each voxel gets Σ wᵢ·pᵢ / Σ wᵢ over the windows
/// that cover it. Only the part of a window inside the volume counts, which is what the reference's "accumulate on
/// the padded volume, then crop" amounts to.
/// <para>
/// Memory is one float32 per voxel under uniform weighting: the sums are float32, added window by window in the
/// plan's order, exactly as the reference's float32 <c>score_map</c>, and the window count of a voxel is not stored
/// but derived from the plan (the product of the counts along each axis) — equal to the reference's float32
/// <c>cnt</c>, so with the same window predictions the average is the reference's bit for bit. Gaussian weighting
/// also keeps a float32 map of Σ wᵢ. <see cref="Average"/> divides in place and hands over the sums' array.
/// </para>
/// </summary>
public sealed class WindowAggregator
{
    private readonly WindowPlan _plan;
    private readonly float[] _importance;
    private readonly float[] _sum;
    private readonly float[]? _weight;
    private readonly int[] _countX, _countY, _countZ;
    private readonly bool[] _added;
    private int _addedCount;
    private bool _averaged;

    /// <param name="plan">The windows to blend.</param>
    /// <param name="importance">A patch-shaped weight map (<see cref="GaussianImportance"/>), or empty for weight 1.</param>
    public WindowAggregator(WindowPlan plan, float[] importance)
    {
        if (importance.Length != 0 && importance.Length != plan.Patch.Count)
            throw new ArgumentException($"importance map has {importance.Length} values, patch {plan.Patch} needs {plan.Patch.Count}");
        _plan = plan;
        _importance = importance;
        _sum = new float[plan.Volume.Count];
        _weight = importance.Length == 0 ? null : new float[plan.Volume.Count];
        _countX = CoverCounts(plan.XStarts, plan.Patch.X, plan.PadBefore.X, plan.Volume.X);
        _countY = CoverCounts(plan.YStarts, plan.Patch.Y, plan.PadBefore.Y, plan.Volume.Y);
        _countZ = CoverCounts(plan.ZStarts, plan.Patch.Z, plan.PadBefore.Z, plan.Volume.Z);
        _added = new bool[plan.Count];
    }

    public Shape3 Volume => _plan.Volume;

    /// <summary>Accumulates the prediction of window <paramref name="window"/> of the plan (patch-shaped <paramref name="values"/>).</summary>
    public void Add(int window, ReadOnlySpan<float> values)
    {
        if (_averaged) throw new InvalidOperationException("the windows were already averaged");
        if ((uint)window >= (uint)_plan.Count) throw new ArgumentOutOfRangeException(nameof(window), $"window {window} of a plan of {_plan.Count}");
        var patch = _plan.Patch;
        if (values.Length != patch.Count) throw new ArgumentException($"window values do not match patch {patch}");
        if (_added[window]) throw new InvalidOperationException($"window {window} was added twice");
        _added[window] = true;
        _addedCount++;

        var origin = _plan.VolumeOrigin(window);
        var x0 = Math.Max(0, origin.X);
        var x1 = Math.Min(Volume.X, origin.X + patch.X);
        var y0 = Math.Max(0, origin.Y);
        var y1 = Math.Min(Volume.Y, origin.Y + patch.Y);
        var z0 = Math.Max(0, origin.Z);
        var length = Math.Min(Volume.Z, origin.Z + patch.Z) - z0;
        for (var x = x0; x < x1; x++)
        for (var y = y0; y < y1; y++)
        {
            var src = patch.Index(x - origin.X, y - origin.Y, z0 - origin.Z);
            var dst = Volume.Index(x, y, z0);
            var sum = _sum.AsSpan(dst, length);
            var row = values.Slice(src, length);
            if (_weight is null)
            {
                for (var k = 0; k < length; k++) sum[k] += row[k];
                continue;
            }
            var weight = _weight.AsSpan(dst, length);
            var w = _importance.AsSpan(src, length);
            for (var k = 0; k < length; k++)
            {
                sum[k] += w[k] * row[k];
                weight[k] += w[k];
            }
        }
    }

    /// <summary>Total weight at a voxel once every window is added (under uniform weighting, the number of windows covering it).</summary>
    public float WeightAt(int x, int y, int z) =>
        _weight?[Volume.Index(x, y, z)] ?? Count(x, y, z);

    /// <summary>
    /// The blended value of every voxel, computed in place: the returned array is the sums' own, and the aggregator
    /// takes no more windows. Every window of the plan must have been added.
    /// </summary>
    public float[] Average()
    {
        if (_averaged) throw new InvalidOperationException("the windows were already averaged");
        if (_addedCount != _plan.Count)
            throw new InvalidOperationException($"window {Array.IndexOf(_added, false)} of {_plan.Count} was never added");
        _averaged = true;
        var shape = Volume;
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        {
            var start = shape.Index(x, y, 0);
            var sum = _sum.AsSpan(start, shape.Z);
            if (_weight is null)
            {
                var xy = (long)_countX[x] * _countY[y];
                for (var z = 0; z < sum.Length; z++) sum[z] /= xy * _countZ[z];
                continue;
            }
            var weight = _weight.AsSpan(start, shape.Z);
            for (var z = 0; z < sum.Length; z++) sum[z] /= weight[z];
        }
        return _sum;
    }

    private float Count(int x, int y, int z) => (long)_countX[x] * _countY[y] * _countZ[z];

    // How many windows along one axis cover each voxel of it (starts are in padded coordinates).
    private static int[] CoverCounts(IReadOnlyList<int> starts, int patch, int padBefore, int length)
    {
        var counts = new int[length];
        foreach (var start in starts)
            for (var v = Math.Max(0, start - padBefore); v < Math.Min(length, start - padBefore + patch); v++)
                counts[v]++;
        return counts;
    }
}
