using Pmcm.Core.Volumes;

namespace Pmcm.Core.Data;

/// <summary>
/// One assembled training batch, contiguous and ready for a tensor: <see cref="Image"/> is (B, 1, X, Y, Z),
/// <see cref="Label"/> and <see cref="Sdf"/> are (B, X, Y, Z); the first <see cref="LabeledCount"/>
/// samples are labeled. Unlabeled samples without label/SDF carry zeros there.
/// </summary>
public sealed record TrainingBatch(
    long Index,
    Shape3 Patch,
    int LabeledCount,
    IReadOnlyList<string> CaseNames,
    float[] Image,
    byte[] Label,
    float[] Sdf,
    BatchResumePoint ResumeAfter)
{
    public int BatchSize => CaseNames.Count;
}
