using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests;

/// <summary>Small volumes whose every voxel is distinct, so any misplaced or mis-typed voxel shows up.</summary>
public static class TestVolumes
{
    /// <summary>
    /// Each voxel holds its C-order index (+ a fraction for float types), shifted by half the count for signed
    /// types; distinct values that fit every voxel type as long as the volume has at most 128 voxels.
    /// </summary>
    public static Volume Ramp(Shape3 shape, VoxelType type, Geometry? geometry = null)
    {
        var v = Volume.Zeros(shape, geometry, type);
        var signed = type is VoxelType.Int8 or VoxelType.Int16 or VoxelType.Int32 or VoxelType.Float32 or VoxelType.Float64;
        var fraction = type is VoxelType.Float32 or VoxelType.Float64 ? 0.25f : 0;
        var shift = signed ? shape.Count / 2 : 0;
        for (var i = 0; i < v.Data.Length; i++) v.Data[i] = i - shift + fraction;
        return v;
    }

    /// <summary>A rotated, anisotropic, off-origin geometry whose values are exact in float32.</summary>
    public static Geometry Oblique(bool reflect = false)
    {
        // Rotation by 90° about Z, optionally with the Z axis flipped (a left-handed frame).
        double[] direction = [0, -1, 0, 1, 0, 0, 0, 0, reflect ? -1 : 1];
        return new Geometry([0.5, 1.25, 2.5], [-100.5, 20.25, 7], direction);
    }

    public static void AssertSameVoxels(Volume expected, Volume actual, float tolerance = 0)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (var i = 0; i < expected.Data.Length; i++)
            if (Math.Abs(expected.Data[i] - actual.Data[i]) > tolerance)
                Assert.Fail($"voxel {i}: expected {expected.Data[i]}, got {actual.Data[i]}");
    }

    public static void AssertSameGeometry(Geometry expected, Geometry actual, double tolerance = 1e-5)
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected.Spacing[i], actual.Spacing[i], tolerance);
            Assert.Equal(expected.Origin[i], actual.Origin[i], tolerance);
        }
        for (var i = 0; i < 9; i++) Assert.Equal(expected.Direction[i], actual.Direction[i], tolerance);
    }
}
