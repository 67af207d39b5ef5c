namespace Pmcm.Core.IO;

/// <summary>
/// Writes a file so that readers never see it half-written: the content goes to a temporary file in the
/// same folder, which is renamed over the target only once it is complete. On failure the temporary
/// file is removed and any previous target is left as it was.
/// </summary>
public static partial class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>For writers that need a path rather than a stream (e.g. libraries that open the file themselves).</summary>
    public static void WriteVia(string path, Action<string> writeToPath)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Extension(full)}");
        try
        {
            writeToPath(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary files this class names (".NAME.[PID.]GUID.tmp[.EXT]") in <paramref name="directory"/>:
    /// what a killed writer leaves behind. Only call it when no other process writes into the folder.
    /// </summary>
    public static int RemoveTemporaries(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, ".*"))
        {
            if (!TemporaryName().IsMatch(Path.GetFileName(file))) continue;
            TryDelete(file);
            removed++;
        }
        return removed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp(\.[^.]+)*$")]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    // Keeps ".nii.gz" style double extensions so format detection on the temp path still works.
    private static string Extension(string path) =>
        path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) ? ".nii.gz" : Path.GetExtension(path);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
