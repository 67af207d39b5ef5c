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

    public void CheckVoxels(string path, double count, string what)
    {
        if (count <= 0 || count > MaxVoxels)
            throw new PmcmException($"{path}: {what} has {count} voxels, outside the sane range 1..{MaxVoxels}; the header is corrupt");
    }
}
