using System.Diagnostics;

namespace Pmcm.Cli.Tests.Slurm;

/// <summary>
/// The one-node Slurm cluster of <c>tests/slurm/start-slurm.sh</c> (started by it when not running yet), and
/// its client commands run as processes: sbatch through the emitted submit.sh, squeue to wait, scontrol for job states.
/// </summary>
public static class SlurmCluster
{
    public static bool Installed => Which("sbatch") is not null;

    public static void Start()
    {
        var (exit, output) = Run("bash", Path.Combine(Repository.Root(), "tests", "slurm", "start-slurm.sh"));
        Assert.True(exit == 0, $"tests/slurm/start-slurm.sh failed: {output}");
    }

    /// <summary>Waits until none of the jobs is queued or running any more.</summary>
    public static void WaitFor(IReadOnlyList<string> jobs, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (exit, output) = Run("squeue", "-h", "-o", "%i %T", "-j", string.Join(',', jobs));
            Assert.True(exit == 0, $"squeue: {output}");
            if (output.Trim().Length == 0) return;
            if (clock.Elapsed > timeout) Assert.Fail($"Slurm jobs {string.Join(',', jobs)} still queued or running after {timeout}: {output}");
            Thread.Sleep(1000);
        }
    }

    /// <summary>Each task's state by array index (or "" for a plain job), from `scontrol show job`.</summary>
    public static Dictionary<string, string> States(string job)
    {
        var (exit, output) = Run("scontrol", "-o", "show", "job", job);
        Assert.True(exit == 0, $"scontrol: {output}");
        var states = new Dictionary<string, string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            states[fields.GetValueOrDefault("ArrayTaskId", "")] = fields["JobState"];
        }
        return states;
    }

    public static (int Exit, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string? Which(string program) => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}

/// <summary>A test against a real Slurm; skipped, saying how to get it, where Slurm is not installed.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (!SlurmCluster.Installed)
            Skip = "sbatch not found: install Debian's slurm-wlm and munge (.ci/run does; tests/slurm/start-slurm.sh starts a one-node cluster as root)";
    }
}
