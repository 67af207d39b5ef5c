namespace Pmcm.Testing;

/// <summary>The checkout the tests were built from: the folder holding Pmcm.sln above the test binaries.</summary>
public static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pmcm.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Pmcm.sln above {AppContext.BaseDirectory}");
    }
}
