namespace Pmcm.Core.Volumes;

/// <summary>The on-disk element type a volume came from (and is written back as by default).</summary>
public enum VoxelType
{
    UInt8,
    Int8,
    Int16,
    UInt16,
    Int32,
    Float32,
    Float64,
}
