namespace Pmcm.Core.IO;

/// <summary>
/// Sanity bounds checked against a file's header before anything is allocated, so a corrupt or hostile
/// header cannot make a reader allocate gigabytes. The defaults fit any real medical volume.
/// </summary>
public sealed record ReadLimits(long MaxVoxels = 1L << 30)
{
    public static ReadLimits Default { get; } = new();

    /// <summary>Decompressed bytes allowed: enough for <see cref="MaxVoxels"/> float64 voxels plus a header.</summary>
    public long MaxBytes => Math.Min(MaxVoxels * sizeof(double) + (1 << 20), Array.MaxLength);

    /// <summary>Deflate's largest expansion (about 1032:1, zlib's technical notes): a bound on what compressed bytes can hold.</summary>
    public const long MaxDeflateRatio = 1032;

    /// <summary>
    /// Refuses, before anything is allocated, data that needs more bytes than <paramref name="available"/> stored
    /// bytes can hold (<paramref name="compressed"/>: times <see cref="MaxDeflateRatio"/>), so a header claiming a
    /// huge volume in a small file is a truncation error rather than gigabytes allocated and then thrown away.
    /// </summary>
    public static void CheckAvailable(string path, long needed, long available, bool compressed, string what)
    {
        var capacity = compressed ? available * MaxDeflateRatio : available;
        if (needed > capacity)
            throw new PmcmException(compressed
                ? $"{path}: truncated: {what} needs {needed} data bytes but {available} compressed bytes hold at most {capacity}"
                : $"{path}: truncated: {what} needs {needed} data bytes but only {Math.Max(0, available)} are there");
    }

    public void CheckVoxels(string path, double count, string what)
    {
        if (count <= 0 || count > MaxVoxels)
            throw new PmcmException($"{path}: {what} has {count} voxels, outside the sane range 1..{MaxVoxels}; the header is corrupt");
    }
}
