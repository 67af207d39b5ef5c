namespace Pmcm.Testing;

/// <summary>
/// Finds the read-only shared/ folder (real LA data, reference vectors) by walking up from the test binaries: on the
/// dev machine it is /work/shared, in CI it sits beside the clone (../shared from the repository root).
/// </summary>
public static class SharedData
{
    /// <summary>shared/<paramref name="relative"/>, or null when there is none.</summary>
    public static string? Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", relative), Path.Combine(dir.FullName, "..", "shared", relative) })
                if (Directory.Exists(candidate) || File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    public static string Require(string relative) =>
        Find(relative) ?? throw new InvalidOperationException($"shared/{relative} not found beside the repository");

    /// <summary>The first LA case's mri_norm2.h5 (from train.list when present), or null with the reason.</summary>
    public static string? FirstLaCase(out string reason)
    {
        var la = Find(Path.Combine("data", "la"));
        if (la is null)
        {
            reason = "shared/data/la not found above " + AppContext.BaseDirectory;
            return null;
        }
        var list = Path.Combine(la, "train.list");
        var names = File.Exists(list) ? File.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0) : Directory.EnumerateDirectories(la).Select(Path.GetFileName).OfType<string>().Order();
        var file = names.Select(n => Path.Combine(la, n, "mri_norm2.h5")).FirstOrDefault(File.Exists);
        reason = file is null ? $"no mri_norm2.h5 under {la}" : "";
        return file;
    }
}
