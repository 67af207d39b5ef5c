using Pmcm.Core.Data;

namespace Pmcm.Learning.Checkpoints;

/// <summary>
/// The plain-data part of a training checkpoint: iterations completed, where the batch stream continues,
/// and the best validation Dice so far (with its iteration; −1 when never validated).
/// </summary>
internal sealed record TrainingState(long Iteration, BatchResumePoint ResumePoint, double BestDice, long BestIteration);
