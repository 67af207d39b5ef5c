using System.IO.Compression;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>How a NIfTI file is written; by default the volume's own voxel type, little-endian.</summary>
public sealed record NiftiWriteOptions(VoxelType? Type = null, bool LittleEndian = true, bool Gzip = false);

/// <summary>
/// Writes single-file NIfTI-1 volumes. Both sform and qform carry the geometry (sform exactly, qform as its
/// nearest rotation) so that any reader, whichever it prefers, places the voxels in the same world.
/// </summary>
public static class NiftiWriter
{
    // xyzt_units: millimetres (2) and seconds (8).
    private const byte MillimetresAndSeconds = 2 | 8;

    // qform_code / sform_code 1 = NIFTI_XFORM_SCANNER_ANAT.
    private const short ScannerAnatomical = 1;

    public static void Write(string path, Volume volume, NiftiWriteOptions? options = null) =>
        AtomicFile.Write(path, s => Encode(s, volume, options));

    public static byte[] Encode(Volume volume, NiftiWriteOptions? options = null)
    {
        using var memory = new MemoryStream();
        Encode(memory, volume, options);
        return memory.ToArray();
    }

    /// <summary>Streams header and voxels (gzip-compressed when asked) without a whole-file copy in memory.</summary>
    private static void Encode(Stream output, Volume volume, NiftiWriteOptions? options)
    {
        options ??= new NiftiWriteOptions();
        var type = options.Type ?? volume.Type;
        var header = HeaderFor(volume, type, options.LittleEndian).ToBytes();
        using var target = options.Gzip ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : null;
        var stream = (Stream?)target ?? output;
        stream.Write(header);
        RawVoxels.WriteFortran(stream, volume, type, options.LittleEndian);
    }

    private static NiftiHeader HeaderFor(Volume volume, VoxelType type, bool littleEndian)
    {
        if (Math.Max(volume.Shape.X, Math.Max(volume.Shape.Y, volume.Shape.Z)) > short.MaxValue)
            throw new PmcmException($"shape {volume.Shape} does not fit NIfTI-1 (at most {short.MaxValue} voxels per axis)");
        var g = volume.Geometry;
        var affine = g.Affine();
        var q = NiftiQuaternion.FromDirection(g.Direction);
        return new NiftiHeader
        {
            LittleEndian = littleEndian,
            Dim = [3, (short)volume.Shape.X, (short)volume.Shape.Y, (short)volume.Shape.Z, 1, 1, 1, 1],
            Datatype = NiftiDatatype.Code(type),
            Bitpix = (short)(8 * type.ByteSize()),
            Pixdim = [(float)q.Qfac, (float)g.Spacing[0], (float)g.Spacing[1], (float)g.Spacing[2], 1, 1, 1, 1],
            SclSlope = 1,
            XyztUnits = MillimetresAndSeconds,
            Descrip = "Pmcm",
            QformCode = ScannerAnatomical,
            SformCode = ScannerAnatomical,
            QuaternB = (float)q.B,
            QuaternC = (float)q.C,
            QuaternD = (float)q.D,
            QOffset = [(float)g.Origin[0], (float)g.Origin[1], (float)g.Origin[2]],
            Srow = [.. affine.Take(12).Select(v => (float)v)],
        };
    }
}
