using System.IO.Compression;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>
/// Reads single-file NIfTI-1 (.nii, .nii.gz) 3-D volumes: any byte order, the common voxel types,
/// scl_slope/scl_inter applied, geometry from the sform (preferred) or the qform.
/// </summary>
public static class NiftiReader
{
    public static Volume Read(string path, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        var info = new FileInfo(path);
        if (!info.Exists) throw new PmcmException($"{path}: no such file");
        if (info.Length > limits.MaxBytes)
            throw new PmcmException($"{path}: {info.Length} bytes is larger than the {limits.MaxBytes}-byte limit for a volume");
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var gzipped = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && Gzip.HasMagic(magic);
        file.Position = 0;
        if (!gzipped) return Decode(path, file, info.Length, limits);
        using var inflated = new GZipStream(file, CompressionMode.Decompress);
        return Decode(path, inflated, null, limits, compressedLength: info.Length);
    }

    /// <summary>Decodes a whole (already decompressed) .nii file held in memory.</summary>
    public static Volume Decode(string path, byte[] bytes, ReadLimits? limits = null) =>
        Decode(path, new MemoryStream(bytes, writable: false), bytes.Length, limits ?? ReadLimits.Default);

    /// <summary>Reads header and voxels from a stream, streaming the voxels; <paramref name="length"/> is the decoded length when known.</summary>
    /// <param name="compressedLength">For gzip input: the compressed size, which bounds what the header may claim.</param>
    private static Volume Decode(string path, Stream stream, long? length, ReadLimits limits, long? compressedLength = null)
    {
        try
        {
            var head = new byte[NiftiHeader.Size];
            var headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var h = NiftiHeader.Parse(path, head[..headLength]);
            if (h.Magic == "ni1")
                throw new PmcmException($"{path}: two-file NIfTI (.hdr/.img) is not supported; convert it to a single .nii");
            if (h.Magic != "n+1")
                throw new PmcmException($"{path}: not a NIfTI-1 file (magic '{Printable.Clip(h.Magic)}', expected 'n+1')");

            var shape = ShapeOf(path, h);
            limits.CheckVoxels(path, shape.Count, "the NIfTI header");
            var type = NiftiDatatype.Type(path, h.Datatype);
            // nifti1.h: a single-file .nii has its data at vox_offset >= 352, after the extension flag.
            if (!float.IsFinite(h.VoxOffset) || h.VoxOffset != MathF.Floor(h.VoxOffset) || h.VoxOffset < NiftiHeader.DataOffset || h.VoxOffset > limits.MaxBytes)
                throw new PmcmException($"{path}: vox_offset {h.VoxOffset} is not a whole byte offset of at least {NiftiHeader.DataOffset} (the header and extension flag); the header is corrupt");
            var offset = (long)h.VoxOffset;
            var needed = shape.Count * type.ByteSize();
            if (length is { } known && offset > known)
                throw new PmcmException($"{path}: vox_offset {h.VoxOffset} lies outside the file ({known} bytes)");
            if (length is { } total && total - offset < needed)
                throw new PmcmException($"{path}: truncated: shape {shape} of {type.Name()} needs {needed} data bytes but only {total - offset} follow the header");
            if (compressedLength is { } packed)
                ReadLimits.CheckAvailable(path, offset + needed, packed, compressed: true, $"vox_offset {offset} plus shape {shape} of {type.Name()}");
            var geometry = GeometryOf(path, h);

            Skip(path, stream, offset - NiftiHeader.Size);
            var data = RawVoxels.ReadFortran(stream, shape, type, h.LittleEndian, path);
            var scaled = ApplyScaling(path, data, h.SclSlope, h.SclInter);
            return new Volume(shape, data, geometry, scaled ? VoxelType.Float32 : type);
        }
        catch (InvalidDataException e)
        {
            throw new PmcmException($"{path}: corrupt gzip data ({Printable.Clip(e.Message, 120)})", e);
        }
    }

    private static void Skip(string path, Stream stream, long count)
    {
        var buffer = new byte[(int)Math.Min(Math.Max(count, 1), 1 << 16)];
        while (count > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (n == 0) throw new PmcmException($"{path}: the file ends before vox_offset");
            count -= n;
        }
    }

    private static Shape3 ShapeOf(string path, NiftiHeader h)
    {
        var rank = h.Dim[0];
        if (rank is < 1 or > 7)
            throw new PmcmException($"{path}: dim[0] = {rank} is not a valid NIfTI rank (1..7); the header is corrupt");
        for (var i = 1; i <= rank; i++)
            if (h.Dim[i] < 1)
                throw new PmcmException($"{path}: dim[{i}] = {h.Dim[i]} is not a size; the header is corrupt");
        var extra = Enumerable.Range(4, Math.Max(0, rank - 3)).Any(i => h.Dim[i] != 1);
        if (rank < 3 || extra)
            throw new PmcmException($"{path}: only 3-D volumes are supported, this one has dims [{string.Join(", ", h.Dim.Skip(1).Take(rank))}]");
        return new Shape3(h.Dim[1], h.Dim[2], h.Dim[3]);
    }

    /// <summary>
    /// value = slope·stored + inter, unless slope is 0 (nifti1.h: no scaling) or the identity. A non-finite slope
    /// or intercept, or one that takes a stored value beyond float32, is an error rather than infinities.
    /// </summary>
    private static bool ApplyScaling(string path, float[] data, float slope, float inter)
    {
        if (slope == 0 || (slope == 1 && inter == 0)) return false;
        if (!float.IsFinite(slope) || !float.IsFinite(inter))
            throw new PmcmException($"{path}: scl_slope {slope} / scl_inter {inter} are not finite; the header is corrupt");
        for (var i = 0; i < data.Length; i++)
        {
            var value = (double)data[i] * slope + inter;
            if (float.IsFinite(data[i]) && Math.Abs(value) > float.MaxValue)
                throw new PmcmException($"{path}: scl_slope {slope} and scl_inter {inter} take stored value {data[i]} to {value:G4}, beyond float32; the header is corrupt");
            data[i] = (float)value;
        }
        return true;
    }

    private static Geometry GeometryOf(string path, NiftiHeader h)
    {
        void RequireFinite(IEnumerable<float> values, string what)
        {
            if (values.Any(v => !float.IsFinite(v)))
                throw new PmcmException($"{path}: {what} holds NaN or infinity; the header is corrupt");
        }
        if (h.SformCode > 0)
        {
            RequireFinite(h.Srow, "the sform (srow_x/y/z)");
            return Geometry.FromAffine([.. h.Srow.Select(v => (double)v), 0, 0, 0, 1]);
        }
        var spacing = Enumerable.Range(1, 3).Select(i => h.Pixdim[i] is > 0 and var p && float.IsFinite(p) ? p : 1.0).ToArray();
        if (h.QformCode > 0)
        {
            RequireFinite([h.QuaternB, h.QuaternC, h.QuaternD], "the qform quaternion");
            RequireFinite(h.QOffset, "the qform offset");
            var rotation = new NiftiQuaternion(h.QuaternB, h.QuaternC, h.QuaternD, h.Pixdim[0]).Rotation();
            return new Geometry(spacing, [h.QOffset[0], h.QOffset[1], h.QOffset[2]], rotation);
        }
        return Geometry.Identity with { Spacing = spacing };
    }
}
