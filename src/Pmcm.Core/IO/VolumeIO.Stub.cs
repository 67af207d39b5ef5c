using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

// TEMPORARY: stands in for the file-format branch's VolumeIO and H5Case so the geometry branch compiles.
// The lead deletes this file when merging; the real classes have the same signatures.

public static class VolumeIO
{
    public static Volume Read(string path, string? dataset = null) => throw new PmcmException("not merged yet");

    public static void Write(string path, Volume volume) => throw new PmcmException("not merged yet");
}

public sealed class H5Case(Volume image, Volume label, Volume sdf)
{
    public Volume Image => image;
    public Volume Label => label;
    public Volume Sdf => sdf;

    public void Write(string path) => throw new PmcmException("not merged yet");
}
