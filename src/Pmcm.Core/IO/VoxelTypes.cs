using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>Byte size and numpy-style name of each <see cref="VoxelType"/>.</summary>
public static class VoxelTypes
{
    public static int ByteSize(this VoxelType type) => type switch
    {
        VoxelType.UInt8 or VoxelType.Int8 => 1,
        VoxelType.Int16 or VoxelType.UInt16 => 2,
        VoxelType.Int32 or VoxelType.Float32 => 4,
        VoxelType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The name numpy and h5py use ("uint8", "float32", ...).</summary>
    public static string Name(this VoxelType type) => type.ToString().ToLowerInvariant();

    public static VoxelType Parse(string name) =>
        Enum.TryParse<VoxelType>(name, ignoreCase: true, out var type) && Enum.IsDefined(type)
            ? type
            : throw new PmcmException($"'{name}' is not a voxel type: expected one of {string.Join(", ", Enum.GetValues<VoxelType>().Select(Name))}");

    public static bool IsInteger(this VoxelType type) => type is not (VoxelType.Float32 or VoxelType.Float64);
}
