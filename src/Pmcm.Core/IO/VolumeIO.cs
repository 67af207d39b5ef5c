using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>Reads and writes a volume in whichever format its file extension names.</summary>
public static class VolumeIO
{
    /// <summary>The dataset read from or written to .h5 files when none is named.</summary>
    public const string DefaultDataset = H5Case.ImageName;

    /// <summary>Reads a volume; <paramref name="dataset"/> picks the HDF5 dataset and is ignored by other formats.</summary>
    public static Volume Read(string path, string? dataset = null, ReadLimits? limits = null) => VolumeFormats.FromPath(path) switch
    {
        VolumeFormat.Nifti or VolumeFormat.NiftiGz => NiftiReader.Read(path, limits),
        VolumeFormat.Nrrd or VolumeFormat.Nhdr => NrrdReader.Read(path, limits),
        VolumeFormat.Hdf5 => H5Volumes.Read(path, dataset ?? DefaultDataset, limits),
        var f => throw new ArgumentOutOfRangeException(nameof(path), f, null),
    };

    /// <summary>
    /// Writes a volume atomically in its own voxel type. Into .h5 it writes one dataset and keeps the file's others
    /// (geometry is dropped, HDF5 has none).
    /// </summary>
    public static void Write(string path, Volume volume, string? dataset = null)
    {
        switch (VolumeFormats.FromPath(path))
        {
            case VolumeFormat.Nifti:
                NiftiWriter.Write(path, volume);
                break;
            case VolumeFormat.NiftiGz:
                NiftiWriter.Write(path, volume, new NiftiWriteOptions(Gzip: true));
                break;
            case VolumeFormat.Nrrd:
                NrrdWriter.Write(path, volume);
                break;
            case VolumeFormat.Hdf5:
                H5Volumes.WriteDataset(path, dataset ?? DefaultDataset, volume);
                break;
            case VolumeFormat.Nhdr:
                throw new PmcmException($"{path}: writing detached NRRD (.nhdr) is not supported; write a .nrrd");
        }
    }
}
