using System.Globalization;
using System.Text;
using Pmcm.Core;
using Pmcm.Core.IO;

namespace Pmcm.Cli.Slurm;

/// <summary>
/// The files `pmcm experiment … --emit slurm DIR` writes: <c>cells.sbatch</c>, a job array with one task per grid
/// cell (task N runs `pmcm experiment … --cell N`, a finished cell exits at once); <c>collect.sbatch</c>, which
/// assembles the tables, chart and page (`--collect`); and <c>submit.sh</c>, which submits the array and the
/// collect job after it (<c>--dependency=afterany</c>, so a failed cell is reported by name rather than leaving
/// the collect job pending forever). <c>submit.sh 3</c> (or <c>3,5</c>, <c>2-4</c>) resubmits those cells alone,
/// with a new collect job. Task logs go to <c>DIR/logs/cell-N.log</c>, the collect job's to <c>DIR/logs/collect-JOB.log</c>.
/// </summary>
public static class SlurmJobScripts
{
    public const string CellsScript = "cells.sbatch";
    public const string CollectScript = "collect.sbatch";
    public const string SubmitScript = "submit.sh";
    public const string LogFolder = "logs";

    /// <param name="pmcm">The command that starts pmcm, word by word.</param>
    /// <param name="gridArguments">The `pmcm experiment` options that define the grid (no mode or Slurm options).</param>
    /// <param name="cellNames">The grid's cells in order; task N runs cell N.</param>
    /// <param name="workingDirectory">Where the jobs start, so relative paths in the arguments mean what they meant here.</param>
    public static void Write(string directory, IReadOnlyList<string> pmcm, IReadOnlyList<string> gridArguments, IReadOnlyList<string> cellNames,
        SlurmOptions slurm, string workingDirectory)
    {
        if (cellNames.Count == 0) throw new PmcmException("the grid is empty: nothing to submit");
        if (slurm.Gpus < 0 || slurm.CpusPerTask < 1) throw new PmcmException($"--slurm-gpus {slurm.Gpus} must be 0 or more and --slurm-cpus {slurm.CpusPerTask} at least 1");
        var folder = Path.GetFullPath(directory);
        // sbatch reads #SBATCH lines word by word, without shell quoting.
        foreach (var (name, value) in new[] { ("--emit folder", folder), ("working folder", workingDirectory), ("--slurm-partition", slurm.Partition), ("--slurm-time", slurm.Time), ("--slurm-mem", slurm.Memory) })
            if (value is not null && (value.Length == 0 || value.Any(char.IsWhiteSpace)))
                throw new PmcmException($"{name} '{value}': Slurm options and log paths cannot be empty or contain spaces");
        var logs = Path.Combine(folder, LogFolder);
        Directory.CreateDirectory(logs);
        var experiment = string.Join(' ', pmcm.Concat(["experiment"]).Concat(gridArguments).Select(Quote));

        var cells = Header("pmcm-cells", Path.Combine(logs, "cell-%a.log"), workingDirectory, slurm, resources: true);
        cells.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{cellNames.Count - 1}\n");
        cells.Append("# One grid cell per array task:\n");
        for (var i = 0; i < cellNames.Count; i++) cells.Append(CultureInfo.InvariantCulture, $"#   {i}  {cellNames[i]}\n");
        cells.Append(CultureInfo.InvariantCulture, $"set -euo pipefail\nexec {experiment} --cell \"$SLURM_ARRAY_TASK_ID\"\n");

        var collect = Header("pmcm-collect", Path.Combine(logs, "collect-%j.log"), workingDirectory, slurm, resources: false);
        collect.Append(CultureInfo.InvariantCulture, $"set -euo pipefail\nexec {experiment} --collect\n");

        var submit = string.Create(CultureInfo.InvariantCulture, $$"""
            #!/bin/bash
            # Submits the experiment's cells as one job array, then the collect job once they have all ended.
            #   ./submit.sh          every cell (cells that finished earlier exit at once)
            #   ./submit.sh 3        cell 3 alone (also 3,5 or 2-4), e.g. after it failed; see logs/cell-3.log
            set -euo pipefail
            cd "$(dirname "$0")"
            array="${1:-0-{{cellNames.Count - 1}}}"
            cells=$(sbatch --parsable --array="$array" {{CellsScript}})
            cells="${cells%%;*}"
            collect=$(sbatch --parsable --dependency=afterany:"$cells" {{CollectScript}})
            collect="${collect%%;*}"
            echo "cells: job $cells (array $array); collect: job $collect"

            """);

        AtomicFile.WriteAllText(Path.Combine(folder, CellsScript), cells.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, CollectScript), collect.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, SubmitScript), submit);
        if (OperatingSystem.IsWindows()) return;
        foreach (var script in new[] { CellsScript, CollectScript, SubmitScript })
            File.SetUnixFileMode(Path.Combine(folder, script), (UnixFileMode)Convert.ToInt32("755", 8));
    }

    /// <summary>Single-quotes a word for bash unless it is made only of characters bash leaves alone.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@+%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";

    private static StringBuilder Header(string name, string log, string workingDirectory, SlurmOptions slurm, bool resources)
    {
        var text = new StringBuilder("#!/bin/bash\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={name}\n#SBATCH --output={log}\n#SBATCH --chdir={workingDirectory}\n");
        if (slurm.Partition is not null) text.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={slurm.Partition}\n");
        if (!resources) return text;
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={slurm.CpusPerTask}\n");
        if (slurm.Gpus > 0) text.Append(CultureInfo.InvariantCulture, $"#SBATCH --gres=gpu:{slurm.Gpus}\n");
        if (slurm.Time is not null) text.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={slurm.Time}\n");
        if (slurm.Memory is not null) text.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={slurm.Memory}\n");
        return text;
    }
}
