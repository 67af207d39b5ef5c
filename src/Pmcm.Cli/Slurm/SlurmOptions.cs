namespace Pmcm.Cli.Slurm;

/// <summary>
/// Resources each array task asks Slurm for; a null field leaves the cluster's default. <see cref="Gpus"/> is
/// requested as a generic resource (<c>--gres=gpu:N</c>), which every Slurm version understands.
/// </summary>
public sealed record SlurmOptions(string? Partition = null, int Gpus = 0, string? Time = null, string? Memory = null, int CpusPerTask = 1);
