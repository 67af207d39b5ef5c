namespace Pmcm.Core.Data;

/// <summary>
/// Everything <see cref="TwoStreamBatchSampler"/> needs to continue exactly where it stopped:
/// the generator, the current epoch's labeled order and the current unlabeled pass with the positions
/// reached in each. Plain data, so it serialises with System.Text.Json into a checkpoint.
/// </summary>
public sealed record SamplerState(
    int LabeledCount,
    int UnlabeledCount,
    SamplerOptions Options,
    RngState Rng,
    long Epoch,
    int[] LabeledOrder,
    int LabeledPosition,
    int[] UnlabeledOrder,
    int UnlabeledPosition);
