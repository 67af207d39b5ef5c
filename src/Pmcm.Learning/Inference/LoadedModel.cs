using Pmcm.Core.Volumes;
using Pmcm.Learning.Networks;

namespace Pmcm.Learning.Inference;

/// <summary>A network with its weights, the window geometry to run it with, and the file the weights came from.</summary>
public sealed record LoadedModel(SegmentationNet Net, Shape3 Patch, Shape3 Stride, string WeightsPath, string? RunDirectory);
