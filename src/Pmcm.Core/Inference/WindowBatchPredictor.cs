namespace Pmcm.Core.Inference;

/// <summary>
/// Runs the network on <paramref name="count"/> windows packed as (count, X, Y, Z) in
/// <paramref name="windows"/> (length count·patch voxels) and returns their foreground probabilities in
/// the same layout. Flip test-time augmentation, if any, happens inside.
/// </summary>
public delegate float[] WindowBatchPredictor(float[] windows, int count);
