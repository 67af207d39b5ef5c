using Pmcm.Core;

namespace Pmcm.Cli.Reports;

/// <summary>
/// A report folder written whole or not at all: files go into a staging folder beside the target, which
/// <see cref="Commit"/> swaps into place. The target must be new, empty, or an earlier Pmcm report (its
/// <c>index.html</c> carries <see cref="HtmlPage.GeneratorMeta"/>), so nothing else is ever replaced.
/// </summary>
public sealed class ReportFolder : IDisposable
{
    public const string PageName = "index.html";

    private readonly string target;
    private bool committed;

    public ReportFolder(string directory)
    {
        target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(target)) throw new PmcmException($"{directory}: is a file; the report needs a folder");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !IsReport(target))
            throw new PmcmException($"{directory}: folder exists and is not a Pmcm report; choose a new or empty folder");
        var parent = Path.GetDirectoryName(target) ?? throw new PmcmException($"{directory}: cannot write a report at the file system root");
        Directory.CreateDirectory(parent);
        Staging = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Staging);
    }

    /// <summary>Where to write the report's files until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    public string Target => target;

    public void Commit()
    {
        string? old = null;
        if (Directory.Exists(target))
        {
            old = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
            Directory.Move(target, old);
        }
        Directory.Move(Staging, target);
        committed = true;
        if (old is not null) Directory.Delete(old, recursive: true);
    }

    public void Dispose()
    {
        if (committed) return;
        try { Directory.Delete(Staging, recursive: true); } catch (IOException) { }
    }

    private static bool IsReport(string directory)
    {
        var page = Path.Combine(directory, PageName);
        return File.Exists(page) && File.ReadLines(page).Take(10).Any(line => line.Contains(HtmlPage.GeneratorMeta, StringComparison.Ordinal));
    }
}
