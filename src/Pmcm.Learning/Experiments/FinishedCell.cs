using Pmcm.Core.Runs;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// A grid cell whose run finished: the cell, what it scored (<c>result.json</c>), its run folder (log.csv,
/// validation.csv, best.pth) and its run record, which is null for a folder kept without run.json or config.json.
/// </summary>
public sealed record FinishedCell(ExperimentCell Cell, ExperimentResult Result, string RunDirectory, RunRecord? Record)
{
    public RunFiles Files => new(RunDirectory);
}
