using Pmcm.Core.Volumes;

namespace Pmcm.Core.Inference;

/// <summary>Foreground probability and the thresholded mask (1 = foreground) on the input volume's grid.</summary>
public sealed record SlidingWindowResult(Shape3 Shape, float[] Probability, byte[] Mask, int Windows);
