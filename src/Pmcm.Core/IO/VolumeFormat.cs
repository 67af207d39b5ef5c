namespace Pmcm.Core.IO;

/// <summary>The volume file formats Pmcm reads and writes, told apart by file extension.</summary>
public enum VolumeFormat
{
    Nifti,
    NiftiGz,
    Nrrd,
    Nhdr,
    Hdf5,
}

public static class VolumeFormats
{
    private static readonly (string Extension, VolumeFormat Format)[] Extensions =
    [
        (".nii.gz", VolumeFormat.NiftiGz),
        (".nii", VolumeFormat.Nifti),
        (".nrrd", VolumeFormat.Nrrd),
        (".nhdr", VolumeFormat.Nhdr),
        (".h5", VolumeFormat.Hdf5),
        (".hdf5", VolumeFormat.Hdf5),
    ];

    public static VolumeFormat FromPath(string path)
    {
        foreach (var (extension, format) in Extensions)
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) return format;
        throw new PmcmException($"{path}: unknown volume file extension; expected one of {string.Join(", ", Extensions.Select(e => e.Extension))}");
    }

    /// <summary>Whether the path has one of the volume extensions.</summary>
    public static bool IsVolume(string path) =>
        Extensions.Any(e => path.EndsWith(e.Extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>The file name without its volume extension ("case.nii.gz" → "case").</summary>
    public static string Stem(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var (extension, _) in Extensions)
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) return name[..^extension.Length];
        return name;
    }
}
