namespace Pmcm.Core.Runs;

/// <summary>The files of a run folder, by role.</summary>
public sealed record RunFiles(string Directory)
{
    /// <summary>The <see cref="RunRecord"/>: everything the run was trained with.</summary>
    public string Record => Path.Combine(Directory, RunRecord.FileName);
    /// <summary>What runs wrote before <see cref="RunRecord"/> existed; still read when there is no record.</summary>
    public string LegacyConfig => Path.Combine(Directory, RunRecord.LegacyFileName);
    /// <summary>Whether the folder holds a run's record (current or legacy), i.e. is a training run.</summary>
    public bool HasRecord => File.Exists(Record) || File.Exists(LegacyConfig);
    public string Log => Path.Combine(Directory, "log.csv");
    public string ValidationLog => Path.Combine(Directory, "validation.csv");
    public string LastCheckpoint => Path.Combine(Directory, "last.ckpt");
    public string BestCheckpoint => Path.Combine(Directory, "best.ckpt");
    /// <summary>The network alone as a PyTorch state_dict (what inference loads).</summary>
    public string LastWeights => Path.Combine(Directory, "last.pth");
    public string BestWeights => Path.Combine(Directory, "best.pth");
    public string Curves => Path.Combine(Directory, "training_curves.png");
    public string Cache => Path.Combine(Directory, "cache");
}
