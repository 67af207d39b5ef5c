namespace Pmcm.Core.Tests;

/// <summary>
/// Finds the shared real data (shared/data/la) by walking up from the test binaries: on the dev machine it is
/// /work/shared, in CI it sits beside the clone (../shared from the repo root). Null when absent.
/// </summary>
public static class SharedData
{
    public static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared"), dir.FullName })
                if (Directory.Exists(Path.Combine(candidate, "data", "la")))
                    return candidate;
        }
        return null;
    }

    /// <summary>The first LA case's mri_norm2.h5 (from train.list when present), or null with the reason.</summary>
    public static string? FirstLaCase(out string reason)
    {
        var root = Find();
        if (root is null)
        {
            reason = "shared/data/la not found above " + AppContext.BaseDirectory;
            return null;
        }
        var la = Path.Combine(root, "data", "la");
        var list = Path.Combine(la, "train.list");
        var names = File.Exists(list) ? File.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0) : Directory.EnumerateDirectories(la).Select(Path.GetFileName).OfType<string>().Order();
        var file = names.Select(n => Path.Combine(la, n, "mri_norm2.h5")).FirstOrDefault(File.Exists);
        reason = file is null ? $"no mri_norm2.h5 under {la}" : "";
        return file;
    }
}
