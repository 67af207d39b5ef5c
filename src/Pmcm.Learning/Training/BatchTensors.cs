using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>One training batch: images (B, 1, X, Y, Z), labels and SDFs (B, X, Y, Z); the first LabeledCount are labeled.</summary>
public sealed record BatchTensors(Tensor Image, Tensor Label, Tensor Sdf, int LabeledCount);
