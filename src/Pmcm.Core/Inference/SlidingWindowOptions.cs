using Pmcm.Core.Volumes;

namespace Pmcm.Core.Inference;

/// <summary>
/// Sliding-window inference settings. <see cref="WindowsPerBatch"/> windows go to the network per call;
/// a voxel is foreground where the blended probability exceeds <see cref="Threshold"/>.
/// <see cref="GaussianSigmaFraction"/>: the Gaussian map's sigma as a fraction of the patch size per axis.
/// </summary>
public sealed record SlidingWindowOptions(
    Shape3 Patch,
    Shape3 Stride,
    int WindowsPerBatch = 1,
    WindowWeighting Weighting = WindowWeighting.Uniform,
    double GaussianSigmaFraction = 0.125,
    float Threshold = 0.5f)
{
    /// <summary>LA: patch 112×112×80, stride 18 (X, Y) and 4 (Z).</summary>
    public static SlidingWindowOptions LeftAtrium => new(new Shape3(112, 112, 80), new Shape3(18, 18, 4));

    /// <summary>Pancreas-CT: patch 96×96×96, stride 16.</summary>
    public static SlidingWindowOptions Pancreas => new(new Shape3(96, 96, 96), new Shape3(16, 16, 16));
}
