using Pmcm.Core;
using Pmcm.Core.IO;
using Pmcm.Core.Runs;

namespace Pmcm.Learning.Training;

/// <summary>
/// Keeps a run folder honest: a fresh run never silently replaces a finished or interrupted one, and temporary
/// files left by a killed writer are removed once the run is under way again.
/// </summary>
public static class RunFolderGuard
{
    /// <summary>Refuses to start over a folder that holds a run unless <paramref name="overwrite"/>; then removes the old run's files.</summary>
    public static void StartFresh(RunFiles files, bool overwrite)
    {
        var existing = Outputs(files).Where(File.Exists).ToList();
        if (existing.Count == 0) return;
        if (!overwrite)
            throw new PmcmException($"{files.Directory} already holds a run ({string.Join(", ", existing.Select(Path.GetFileName))}); use --resume to continue it or --overwrite to replace it");
        foreach (var file in existing) File.Delete(file);
    }

    /// <summary>Deletes the temporary files <see cref="AtomicFile"/> leaves when a process is killed mid-write.</summary>
    public static int RemoveStaleTemporaries(RunFiles files) => AtomicFile.RemoveTemporaries(files.Directory);

    private static IEnumerable<string> Outputs(RunFiles f) =>
        [f.Record, f.LegacyConfig, f.Log, f.ValidationLog, f.LastCheckpoint, f.BestCheckpoint, f.LastWeights, f.BestWeights, f.Curves];
}
