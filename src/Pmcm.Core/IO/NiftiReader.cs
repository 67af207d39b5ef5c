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
        var bytes = InputFile.ReadMaybeGzipped(path, limits);
        return Decode(path, bytes, limits);
    }

    /// <summary>Decodes a whole (already decompressed) .nii file held in memory.</summary>
    public static Volume Decode(string path, byte[] bytes, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        var h = NiftiHeader.Parse(path, bytes);
        if (h.Magic == "ni1")
            throw new PmcmException($"{path}: two-file NIfTI (.hdr/.img) is not supported; convert it to a single .nii");
        if (h.Magic != "n+1")
            throw new PmcmException($"{path}: not a NIfTI-1 file (magic '{h.Magic}', expected 'n+1')");

        var shape = ShapeOf(path, h);
        limits.CheckVoxels(path, shape.Count, "the NIfTI header");
        var type = NiftiDatatype.Type(path, h.Datatype);
        var offset = (long)h.VoxOffset;
        if (offset < NiftiHeader.Size || offset > bytes.Length)
            throw new PmcmException($"{path}: vox_offset {h.VoxOffset} lies outside the file ({bytes.Length} bytes)");
        var needed = shape.Count * type.ByteSize();
        if (bytes.Length - offset < needed)
            throw new PmcmException($"{path}: truncated: shape {shape} of {type.Name()} needs {needed} data bytes but only {bytes.Length - offset} follow the header");

        var data = RawVoxels.DecodeFortran(bytes, offset, shape, type, h.LittleEndian);
        var scaled = ApplyScaling(data, h.SclSlope, h.SclInter);
        return new Volume(shape, data, GeometryOf(h), scaled ? VoxelType.Float32 : type);
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

    /// <summary>value = slope·stored + inter, unless slope is 0 (nifti1.h: no scaling) or the identity.</summary>
    private static bool ApplyScaling(float[] data, float slope, float inter)
    {
        if (slope == 0 || !float.IsFinite(slope) || (slope == 1 && inter == 0)) return false;
        if (!float.IsFinite(inter)) inter = 0;
        for (var i = 0; i < data.Length; i++) data[i] = data[i] * slope + inter;
        return true;
    }

    private static Geometry GeometryOf(NiftiHeader h)
    {
        if (h.SformCode > 0)
            return Geometry.FromAffine([.. h.Srow.Select(v => (double)v), 0, 0, 0, 1]);
        var spacing = Enumerable.Range(1, 3).Select(i => h.Pixdim[i] is > 0 and var p && float.IsFinite(p) ? p : 1.0).ToArray();
        if (h.QformCode > 0)
        {
            var rotation = new NiftiQuaternion(h.QuaternB, h.QuaternC, h.QuaternD, h.Pixdim[0]).Rotation();
            return new Geometry(spacing, [h.QOffset[0], h.QOffset[1], h.QOffset[2]], rotation);
        }
        return Geometry.Identity with { Spacing = spacing };
    }
}
