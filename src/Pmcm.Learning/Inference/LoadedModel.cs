using Pmcm.Core.Data;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Networks;

namespace Pmcm.Learning.Inference;

/// <summary>
/// A network with its weights, the window geometry to run it with, the file the weights came from, and the run's
/// record when they came from a run folder. <see cref="Grid"/> is how its training loaded the volumes (shrunk,
/// standardised); inputs are brought onto it the same way before the windows slide.
/// </summary>
public sealed record LoadedModel(SegmentationNet Net, Shape3 Patch, Shape3 Stride, string WeightsPath, string? RunDirectory, RunRecord? Record = null)
{
    /// <summary>The run's grid; a bare weights file was trained on cases as stored, as far as anyone can tell.</summary>
    public TrainingGrid Grid => Record is null ? TrainingGrid.Stored : new TrainingGrid(Record.Downsample, Record.Standardise);

    public int Downsample => Grid.Downsample;
}
