using Pmcm.Core.Volumes;

namespace Pmcm.Core.Inference;

/// <summary>
/// Sliding-window inference settings. <see cref="WindowsPerBatch"/> windows go to the network per call
/// (<see cref="DefaultWindowsPerBatch"/> unless asked);
/// a voxel is foreground where the blended probability exceeds <see cref="Threshold"/>.
/// <see cref="GaussianSigmaFraction"/>: the Gaussian map's sigma as a fraction of the patch size per axis.
/// </summary>
public sealed record SlidingWindowOptions(
    Shape3 Patch,
    Shape3 Stride,
    int WindowsPerBatch = SlidingWindowOptions.DefaultWindowsPerBatch,
    WindowWeighting Weighting = WindowWeighting.Uniform,
    double GaussianSigmaFraction = 0.125,
    float Threshold = 0.5f)
{
    /// <summary>
    /// Four windows per call: libtorch gives a convolution of one sample to oneDNN only when batch × channels × the
    /// first two axes exceed 20 480 (1 × 8 × 48 × 48 does not) and runs the rest on its slower native path, which
    /// made one-window calls of a small network 2.7× slower per window (docs/performance.md). At the paper's scale
    /// every call takes oneDNN's path, and batching neither costs nor pays.
    /// </summary>
    public const int DefaultWindowsPerBatch = 4;

    /// <summary>LA: patch 112×112×80, stride 18 (X, Y) and 4 (Z).</summary>
    public static SlidingWindowOptions LeftAtrium => new(new Shape3(112, 112, 80), new Shape3(18, 18, 4));

    /// <summary>Pancreas-CT: patch 96×96×96, stride 16.</summary>
    public static SlidingWindowOptions Pancreas => new(new Shape3(96, 96, 96), new Shape3(16, 16, 16));
}
