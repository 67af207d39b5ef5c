namespace Pmcm.Learning.Training;

/// <summary>What a finished run produced: where, how far, the best validation Dice and the files written.</summary>
public sealed record TrainingSummary(
    string RunDirectory,
    long Iterations,
    double BestDice,
    long BestIteration,
    double FinalLoss,
    TimeSpan Elapsed,
    IReadOnlyList<string> Pictures);
