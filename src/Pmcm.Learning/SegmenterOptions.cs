using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;

namespace Pmcm.Learning;

/// <summary>
/// How a <see cref="Segmenter"/> runs its model. The defaults are the paper's evaluation: decoder 1's foreground
/// probability averaged over sliding windows (the run's patch and stride), thresholded at 0.5, on the CPU.
/// </summary>
public sealed record SegmenterOptions
{
    /// <summary>"cpu", "cuda" or "cuda:N" (CUDA needs the CUDA build of Pmcm.Learning).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>CPU threads for libtorch; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Window size; null takes the training run's, or 112×112×80 (LA) for a bare <c>.pth</c>.</summary>
    public Shape3? Patch { get; init; }

    /// <summary>Window stride; null takes the training run's, or 18×18×4 (LA) for a bare <c>.pth</c>.</summary>
    public Shape3? Stride { get; init; }

    /// <summary>Keep only the largest 26-connected foreground component.</summary>
    public bool LargestComponent { get; init; }

    /// <summary>Also run every window mirrored along X, Y and Z and average the four predictions (four times slower).</summary>
    public bool FlipTestTimeAugmentation { get; init; }

    /// <summary>Blend overlapping windows with Gaussian weights instead of a plain average.</summary>
    public bool GaussianBlending { get; init; }

    /// <summary>Windows sent to the network at once (more is faster and uses more memory).</summary>
    public int WindowsPerBatch { get; init; } = SlidingWindowOptions.DefaultWindowsPerBatch;
}
