namespace Pmcm.Core.Volumes;

/// <summary>
/// A 3-D scalar volume: voxel values (as float, whatever the file stored), shape, geometry and the
/// element type it was read as, so that what is read can be written back unchanged.
/// Data is C order, X slowest (index = (x·Y + y)·Z + z).
/// </summary>
public sealed class Volume
{
    public Volume(Shape3 shape, float[] data, Geometry? geometry = null, VoxelType type = VoxelType.Float32)
    {
        if (data.LongLength != shape.Count)
            throw new PmcmException($"volume data has {data.LongLength} values but shape {shape} needs {shape.Count}");
        Shape = shape;
        Data = data;
        Geometry = geometry ?? Geometry.Identity;
        Type = type;
    }

    public Shape3 Shape { get; }
    public float[] Data { get; }
    public Geometry Geometry { get; init; }
    public VoxelType Type { get; init; }

    public float this[int x, int y, int z]
    {
        get => Data[Shape.Index(x, y, z)];
        set => Data[Shape.Index(x, y, z)] = value;
    }

    public static Volume Zeros(Shape3 shape, Geometry? geometry = null, VoxelType type = VoxelType.Float32) =>
        new(shape, new float[shape.Count], geometry, type);

    /// <summary>Binary mask of the voxels whose value exceeds <paramref name="threshold"/> (labels: &gt; 0).</summary>
    public bool[] ToMask(float threshold = 0)
    {
        var mask = new bool[Data.Length];
        for (var i = 0; i < mask.Length; i++) mask[i] = Data[i] > threshold;
        return mask;
    }

    public static Volume FromMask(Shape3 shape, ReadOnlySpan<bool> mask, Geometry? geometry = null)
    {
        var data = new float[mask.Length];
        for (var i = 0; i < data.Length; i++) data[i] = mask[i] ? 1f : 0f;
        return new Volume(shape, data, geometry, VoxelType.UInt8);
    }
}
