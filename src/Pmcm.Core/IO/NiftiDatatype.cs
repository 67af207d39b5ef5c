using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>NIfTI-1 datatype codes (nifti1.h, DT_*) of the voxel types Pmcm reads and writes.</summary>
public static class NiftiDatatype
{
    private static readonly (short Code, VoxelType Type)[] Codes =
    [
        (2, VoxelType.UInt8),
        (4, VoxelType.Int16),
        (8, VoxelType.Int32),
        (16, VoxelType.Float32),
        (64, VoxelType.Float64),
        (256, VoxelType.Int8),
        (512, VoxelType.UInt16),
    ];

    public static short Code(VoxelType type) => Codes.First(c => c.Type == type).Code;

    public static VoxelType Type(string path, short code)
    {
        foreach (var (c, t) in Codes)
            if (c == code) return t;
        throw new PmcmException($"{path}: NIfTI datatype {code} ({Describe(code)}) is not supported; supported: uint8, int8, int16, uint16, int32, float32, float64");
    }

    private static string Describe(short code) => code switch
    {
        1 => "binary",
        32 => "complex64",
        128 => "rgb24",
        768 => "uint32",
        1024 => "int64",
        1280 => "uint64",
        1536 => "float128",
        1792 => "complex128",
        2048 => "complex256",
        2304 => "rgba32",
        _ => "unknown",
    };
}
