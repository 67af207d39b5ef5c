using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Data;

/// <summary>
/// The grid a run trains and scores on: each case shrunk by the run's downsampling factor, the image trilinear
/// and the label nearest (<see cref="Resampling.Shrink"/>). A stored SDF is dropped when shrinking, since it
/// must be recomputed on the new grid.
/// </summary>
public static class TrainingGrid
{
    public static H5Case Shrink(H5Case c, int downsample) => downsample == 1
        ? c
        : new H5Case(Resampling.Shrink(c.Image, downsample, nearest: false),
            c.Label is null ? null : Resampling.Shrink(c.Label, downsample, nearest: true), null);
}
