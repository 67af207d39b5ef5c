namespace Pmcm.Core.Data;

/// <summary>
/// Where the batch stream continues after a given batch: the index of the next batch and the sampler
/// state. Stored in a checkpoint, it lets <see cref="BatchProducer"/> reproduce the remaining batches
/// exactly (augmentation draws are keyed by batch index, so they need no further state).
/// </summary>
public sealed record BatchResumePoint(long NextBatch, SamplerState Sampler);
