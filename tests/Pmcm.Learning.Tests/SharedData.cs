namespace Pmcm.Learning.Tests;

/// <summary>Finds the read-only shared/ folder beside the repository (CI lays it next to the clone).</summary>
public static class SharedData
{
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
}
