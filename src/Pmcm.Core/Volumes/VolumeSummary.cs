namespace Pmcm.Core.Volumes;

/// <summary>
/// Value statistics of a volume for `pmcm info`: range, mean, and — when the voxels take only a few
/// integer values, as label maps do — the distinct values themselves.
/// </summary>
public sealed record VolumeSummary(double Min, double Max, double Mean, int[]? Labels)
{
    /// <summary>More distinct values than this and the volume is treated as an image, not a label map.</summary>
    public const int MaxLabels = 16;

    public static VolumeSummary Of(Volume volume)
    {
        var data = volume.Data;
        if (data.Length == 0) return new VolumeSummary(double.NaN, double.NaN, double.NaN, null);
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        var distinct = new SortedSet<int>();
        var integral = true;
        foreach (var v in data)
        {
            if (v < min) min = v;
            if (v > max) max = v;
            sum += v;
            if (!integral) continue;
            if (v != MathF.Round(v) || Math.Abs(v) > int.MaxValue / 2 || distinct.Count > MaxLabels) integral = false;
            else distinct.Add((int)v);
        }
        var labels = integral && distinct.Count <= MaxLabels ? distinct.ToArray() : null;
        return new VolumeSummary(min, max, sum / data.Length, labels);
    }
}
