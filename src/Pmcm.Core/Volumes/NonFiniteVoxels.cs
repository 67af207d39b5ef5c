namespace Pmcm.Core.Volumes;

/// <summary>
/// NaN and infinite voxels of a scan. One of them spreads through every convolution window that sees it, so
/// inference refuses them unless the user names a value to put in their place.
/// </summary>
public static class NonFiniteVoxels
{
    /// <summary>Throws naming how many voxels are NaN or infinite and the first one's (x, y, z).</summary>
    public static void ThrowIfAny(Volume volume, string path, string remedy)
    {
        var count = 0L;
        var first = -1;
        var data = volume.Data;
        for (var i = 0; i < data.Length; i++)
        {
            if (float.IsFinite(data[i])) continue;
            if (count++ == 0) first = i;
        }
        if (count == 0) return;
        var s = volume.Shape;
        var (x, y, z) = (first / (s.Y * s.Z), first / s.Z % s.Y, first % s.Z);
        throw new PmcmException($"{path}: {count} voxel{(count == 1 ? " is" : "s are")} NaN or infinite, the first at (x={x}, y={y}, z={z}) ({data[first]}); {remedy}");
    }

    /// <summary>Replaces every NaN and infinite voxel by <paramref name="value"/> in place; returns how many there were.</summary>
    public static long Replace(Volume volume, float value)
    {
        var count = 0L;
        var data = volume.Data;
        for (var i = 0; i < data.Length; i++)
        {
            if (float.IsFinite(data[i])) continue;
            data[i] = value;
            count++;
        }
        return count;
    }
}
