namespace Pmcm.Learning.Training;

/// <summary>A snapshot after one iteration, for progress displays.</summary>
public sealed record TrainingProgress(long Iteration, long Iterations, double Loss, double BestDice, double IterationsPerSecond, TimeSpan Remaining, bool Validated);
