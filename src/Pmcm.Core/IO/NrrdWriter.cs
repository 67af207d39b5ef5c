using System.Globalization;
using System.IO.Compression;
using System.Text;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>How a NRRD file is written; by default the volume's own voxel type, gzip-encoded.</summary>
public sealed record NrrdWriteOptions(VoxelType? Type = null, bool Gzip = true);

/// <summary>Writes attached-header NRRD files in RAS space with the full affine in space directions/origin.</summary>
public static class NrrdWriter
{
    public static void Write(string path, Volume volume, NrrdWriteOptions? options = null) =>
        AtomicFile.Write(path, s => Encode(s, volume, options));

    public static byte[] Encode(Volume volume, NrrdWriteOptions? options = null)
    {
        using var memory = new MemoryStream();
        Encode(memory, volume, options);
        return memory.ToArray();
    }

    /// <summary>Streams header and voxels (gzip-compressed when asked) without a whole-file copy in memory.</summary>
    private static void Encode(Stream output, Volume volume, NrrdWriteOptions? options)
    {
        options ??= new NrrdWriteOptions();
        var type = options.Type ?? volume.Type;
        output.Write(Encoding.ASCII.GetBytes(Header(volume, type, options.Gzip)));
        using var target = options.Gzip ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : null;
        RawVoxels.WriteFortran((Stream?)target ?? output, volume, type, littleEndian: true);
    }

    private static string Header(Volume volume, VoxelType type, bool gzip)
    {
        var a = volume.Geometry.Affine();
        var column = (int c) => $"({N(a[c])},{N(a[4 + c])},{N(a[8 + c])})";
        var s = volume.Shape;
        return new StringBuilder()
            .Append("NRRD0004\n")
            .Append("# Written by Pmcm\n")
            .Append($"type: {TypeName(type)}\n")
            .Append("dimension: 3\n")
            .Append("space: right-anterior-superior\n")
            .Append($"sizes: {s.X} {s.Y} {s.Z}\n")
            .Append($"space directions: {column(0)} {column(1)} {column(2)}\n")
            .Append("kinds: domain domain domain\n")
            .Append("endian: little\n")
            .Append($"encoding: {(gzip ? "gzip" : "raw")}\n")
            .Append($"space origin: ({N(a[3])},{N(a[7])},{N(a[11])})\n")
            .Append('\n')
            .ToString();
    }

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string TypeName(VoxelType type) => type switch
    {
        VoxelType.UInt8 => "uint8",
        VoxelType.Int8 => "int8",
        VoxelType.Int16 => "int16",
        VoxelType.UInt16 => "uint16",
        VoxelType.Int32 => "int32",
        VoxelType.Float32 => "float",
        VoxelType.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
