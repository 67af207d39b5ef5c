namespace Pmcm.Core.Data;

/// <summary>
/// Batch composition: <see cref="LabeledPerBatch"/> labeled then <see cref="UnlabeledPerBatch"/> unlabeled
/// samples (reference: batch 4 = 2 + 2).
/// <see cref="RestartUnlabeledEachEpoch"/> (quirk, default on): the reference builds a fresh unlabeled
/// stream with every epoch, so the partly used permutation of the previous epoch is dropped; off, one
/// unlabeled stream runs for the whole training and every unlabeled case is seen equally often.
/// </summary>
public sealed record SamplerOptions(int LabeledPerBatch = 2, int UnlabeledPerBatch = 2, bool RestartUnlabeledEachEpoch = true)
{
    public int BatchSize => LabeledPerBatch + UnlabeledPerBatch;
}
