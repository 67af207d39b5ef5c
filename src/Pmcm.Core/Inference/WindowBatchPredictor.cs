namespace Pmcm.Core.Inference;

/// <summary>
/// Runs the network on <paramref name="count"/> windows packed as (count, X, Y, Z) in <paramref name="windows"/>
/// (count · patch voxels) and writes their foreground probabilities in the same layout into
/// <paramref name="probabilities"/> (as long as <paramref name="windows"/>). Flip test-time augmentation, if any,
/// happens inside. Both buffers are reused from one call to the next.
/// </summary>
public delegate void WindowBatchPredictor(ReadOnlySpan<float> windows, int count, Span<float> probabilities);
