using System.CommandLine;
using Pmcm.Cli.Slurm;
using Pmcm.Core;

namespace Pmcm.Cli.Commands;

/// <summary>
/// How `pmcm experiment` runs its grid: all here (default), one cell (`--cell N`, what a Slurm array task runs),
/// only the reports from finished cells (`--collect`, the Slurm collect job), or not at all but as Slurm job
/// scripts (`--emit slurm DIR` with the `--slurm-*` resources).
/// </summary>
public sealed class ExperimentModeOptionSet
{
    private readonly Option<string[]> emit = new("--emit")
    {
        Description = "'slurm DIR': write Slurm job scripts (a job array of the cells and a collect job) to DIR instead of running",
        Arity = new ArgumentArity(2, 2),
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<int?> cell = new("--cell") { Description = "Run grid cell N alone (0-based, in the order --emit lists them); skipped if finished" };
    private readonly Option<bool> collect = new("--collect") { Description = "Train nothing: write the report, results.csv/.png and index.html from the finished cells, naming the missing ones" };
    private readonly Option<string?> partition = new("--slurm-partition") { Description = "Slurm partition of the cell jobs" };
    private readonly Option<int> gpus = new("--slurm-gpus") { Description = "GPUs per cell job (--gres=gpu:N)", DefaultValueFactory = _ => 0 };
    private readonly Option<string?> time = new("--slurm-time") { Description = "Time limit per cell job (Slurm format, e.g. 12:00:00)" };
    private readonly Option<string?> memory = new("--slurm-mem") { Description = "Memory per cell job (e.g. 16G)" };
    private readonly Option<int> cpus = new("--slurm-cpus") { Description = "CPUs per cell job (--cpus-per-task)", DefaultValueFactory = _ => 1 };

    public void AddTo(Command command)
    {
        foreach (var option in Options) command.Options.Add(option);
    }

    /// <summary>True for the options that choose the mode or the Slurm resources, which a cell job must not repeat.</summary>
    public bool Owns(Option option) => Options.Contains(option);

    public ExperimentMode Mode(ParseResult parse)
    {
        var chosen = new[] { parse.GetValue(emit) is { Length: > 0 }, parse.GetValue(cell) is not null, parse.GetValue(collect) }.Count(c => c);
        if (chosen > 1) throw new PmcmException("use only one of --emit, --cell and --collect");
        if (parse.GetValue(emit) is [var kind, var folder])
        {
            if (!kind.Equals("slurm", StringComparison.OrdinalIgnoreCase)) throw new PmcmException($"--emit {kind}: only 'slurm' is supported");
            return new ExperimentMode.Emit(folder, new SlurmOptions(parse.GetValue(partition), parse.GetValue(gpus), parse.GetValue(time), parse.GetValue(memory), parse.GetValue(cpus)));
        }
        if (new Option[] { partition, gpus, time, memory, cpus }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } unused)
            throw new PmcmException($"{unused.Name} applies to --emit slurm only");
        if (parse.GetValue(cell) is { } n) return new ExperimentMode.Cell(n);
        return parse.GetValue(collect) ? new ExperimentMode.Collect() : new ExperimentMode.All();
    }

    private Option[] Options => [emit, cell, collect, partition, gpus, time, memory, cpus];
}
