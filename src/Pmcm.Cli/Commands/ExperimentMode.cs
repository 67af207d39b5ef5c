using Pmcm.Cli.Slurm;

namespace Pmcm.Cli.Commands;

/// <summary>What `pmcm experiment` does with its grid.</summary>
public abstract record ExperimentMode
{
    public sealed record All : ExperimentMode;
    public sealed record Cell(int Index) : ExperimentMode;
    public sealed record Collect : ExperimentMode;
    public sealed record Emit(string Directory, SlurmOptions Slurm) : ExperimentMode;
}
