using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pmcm.Core;

namespace Pmcm.Fuzz;

/// <summary>What one target's run found: executions by outcome, the slowest input and the largest allocation.</summary>
public sealed record CampaignResult(
    string Target, long Executions, long Values, long ClearErrors, int DistinctErrors, long Findings, long OverAllocationsInLibrary,
    double Seconds, double MaxMilliseconds, long MaxAllocatedBytes, IReadOnlyList<string> FindingSamples)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// Runs one target for a time or an execution budget: mutate a pool input, run it, classify the outcome. A value or
/// a <see cref="PmcmException"/> with a short, printable message is fine; any other exception, an unprintable or
/// over-long message, an allocation beyond <see cref="AllocationBound"/> or an execution over
/// <see cref="HangSeconds"/> is a finding, saved to the findings folder. Inputs that parse are added to the pool,
/// so mutations build on inputs that reach further.
/// </summary>
public sealed class Campaign(FuzzTarget target, int seed, string findingsDirectory)
{
    public const int MaxMessageLength = 600;
    // Generous: on a loaded shared machine a niced run can stall for seconds; a real hang stalls for ever.
    public const double HangSeconds = 60;
    private const int MaxPool = 256;

    /// <summary>Allowed per execution: 64 MB plus what deflate could expand the input to as float32 voxels.</summary>
    public static long AllocationBound(int inputLength) => (64L << 20) + 1100L * inputLength;

    public CampaignResult Run(TimeSpan duration, long maxExecutions = long.MaxValue)
    {
        var random = new Random(seed);
        var mutator = new Mutator(random);
        var pool = target.Seeds.ToList();
        var errors = new HashSet<string>();
        var samples = new List<string>();
        long executions = 0, values = 0, clear = 0, findings = 0, libraryAllocations = 0, maxAllocated = 0;
        double maxMs = 0;
        var clock = Stopwatch.StartNew();
        byte[] current = [];
        using var watchdog = new Timer(_ =>
        {
            // A hang cannot be interrupted in-process: keep the input and stop with a distinct exit code.
            Save("hang", current, "execution exceeded " + HangSeconds + " s");
            Environment.Exit(2);
        });
        while (clock.Elapsed < duration && executions < maxExecutions)
        {
            var parent = pool[random.Next(pool.Count)];
            current = executions < target.Seeds.Count ? target.Seeds[(int)executions] : mutator.Mutate(parent, target.Text);
            watchdog.Change(TimeSpan.FromSeconds(HangSeconds), Timeout.InfiniteTimeSpan);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = clock.Elapsed;
            string? problem = null;
            try
            {
                target.Run(current);
                values++;
                if (executions >= target.Seeds.Count)
                {
                    if (pool.Count < MaxPool) pool.Add(current);
                    else pool[random.Next(target.Seeds.Count, MaxPool)] = current;
                }
            }
            catch (PmcmException e)
            {
                clear++;
                errors.Add(Kind(e.Message));
                if (e.Message.Length > MaxMessageLength || e.Message.Any(c => char.IsControl(c) || c == '\uFFFD'))
                    problem = $"unprintable or long message: {Core.Printable.Clip(e.Message, 200)}";
            }
            catch (Exception e)
            {
                problem = $"{e.GetType().Name}: {Core.Printable.Clip(e.Message, 200)}";
            }
            watchdog.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Give a large transient allocation back at once, so a long run's memory stays at one execution's worth.
            if (allocated > 64 << 20) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            maxAllocated = Math.Max(maxAllocated, allocated);
            maxMs = Math.Max(maxMs, (clock.Elapsed - start).TotalMilliseconds);
            if (problem is null && allocated > AllocationBound(current.Length))
            {
                if (target.AllocationIsFinding) problem = $"allocated {allocated} bytes for a {current.Length}-byte input";
                else libraryAllocations++;
            }
            if (problem is not null)
            {
                findings++;
                if (samples.Count < 20) samples.Add(problem);
                Save("finding", current, problem);
            }
            executions++;
        }
        return new CampaignResult(target.Name, executions, values, clear, errors.Count, findings, libraryAllocations, clock.Elapsed.TotalSeconds, maxMs, maxAllocated, samples);
    }

    /// <summary>The message without its path and numbers: one "kind" of error.</summary>
    private static string Kind(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        var text = colon >= 0 ? message[(colon + 2)..] : message;
        var kind = new StringBuilder();
        foreach (var c in text.Take(40)) kind.Append(char.IsDigit(c) ? '#' : c);
        return kind.ToString();
    }

    private void Save(string what, byte[] input, string problem)
    {
        Directory.CreateDirectory(findingsDirectory);
        var name = $"{target.Name}-{what}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(input))[..12]}";
        File.WriteAllBytes(Path.Combine(findingsDirectory, name + ".bin"), input);
        File.WriteAllText(Path.Combine(findingsDirectory, name + ".txt"), problem + "\n");
    }
}
