namespace Pmcm.Learning.Experiments;

/// <summary>A grid cell without a result yet (not run, still running or failed), with its number in the grid.</summary>
public readonly record struct MissingCell(int Index, ExperimentCell Cell);

/// <summary>What a grid holds so far: its finished cells and the missing ones, both in grid order.</summary>
public sealed record GridResults(ExperimentOptions Options, IReadOnlyList<FinishedCell> Finished, IReadOnlyList<MissingCell> Missing);
