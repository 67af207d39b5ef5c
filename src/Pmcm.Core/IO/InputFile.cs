namespace Pmcm.Core.IO;

/// <summary>Reads a whole input file with the errors users should see: missing file, too large to be a volume.</summary>
public static class InputFile
{
    public static byte[] ReadAll(string path, ReadLimits limits)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new PmcmException($"{path}: no such file");
        if (info.Length > limits.MaxBytes)
            throw new PmcmException($"{path}: {info.Length} bytes is larger than the {limits.MaxBytes}-byte limit for a volume");
        return File.ReadAllBytes(path);
    }

    /// <summary>Reads the file and inflates it when it starts with the gzip magic (.nii.gz, or a .nii that is secretly gzipped).</summary>
    public static byte[] ReadMaybeGzipped(string path, ReadLimits limits)
    {
        var bytes = ReadAll(path, limits);
        return Gzip.HasMagic(bytes) ? Gzip.Decompress(path, bytes, 0, limits.MaxBytes) : bytes;
    }
}
