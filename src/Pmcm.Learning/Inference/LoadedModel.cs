using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Networks;

namespace Pmcm.Learning.Inference;

/// <summary>
/// A network with its weights, the window geometry to run it with, the factor by which its training shrank the
/// volumes (<see cref="Downsample"/>; inputs are shrunk the same way before the windows slide), and the file the
/// weights came from, with the run's record when they came from a run folder.
/// </summary>
public sealed record LoadedModel(SegmentationNet Net, Shape3 Patch, Shape3 Stride, string WeightsPath, string? RunDirectory, int Downsample = 1, RunRecord? Record = null);
