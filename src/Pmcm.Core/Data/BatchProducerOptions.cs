namespace Pmcm.Core.Data;

/// <summary>
/// <see cref="QueueDepth"/>: batches prepared ahead of the training step (each LA batch is ~36 MB).
/// <see cref="AugmentationSeed"/>: seeds the per-sample augmentation streams (keyed by batch and slot).
/// </summary>
public sealed record BatchProducerOptions(int QueueDepth = 2, ulong AugmentationSeed = 1337);
