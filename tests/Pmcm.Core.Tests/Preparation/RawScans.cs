using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Preparation;

/// <summary>Synthetic raw scans with a known label box, for the preparation tests.</summary>
public static class RawScans
{
    /// <summary>An image whose voxel value is its X index (so crops and statistics are easy to compute by hand).</summary>
    public static Volume XRamp(Shape3 shape, Geometry? geometry = null, VoxelType type = VoxelType.UInt8)
    {
        var v = Volume.Zeros(shape, geometry, type);
        for (var x = 0; x < shape.X; x++)
            for (var y = 0; y < shape.Y; y++)
                for (var z = 0; z < shape.Z; z++)
                    v[x, y, z] = x;
        return v;
    }

    /// <summary>A label volume holding <paramref name="value"/> in the inclusive box [x0, x1] × [y0, y1] × [z0, z1].</summary>
    public static Volume Box(Shape3 shape, (int X0, int X1, int Y0, int Y1, int Z0, int Z1) box, float value, Geometry? geometry = null)
    {
        var v = Volume.Zeros(shape, geometry, VoxelType.UInt8);
        for (var x = box.X0; x <= box.X1; x++)
            for (var y = box.Y0; y <= box.Y1; y++)
                for (var z = box.Z0; z <= box.Z1; z++)
                    v[x, y, z] = value;
        return v;
    }
}
