using Pmcm.Core.Data;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>One training batch: images (B, 1, X, Y, Z), labels and SDFs (B, X, Y, Z); the first LabeledCount are labeled.</summary>
public sealed record BatchTensors(Tensor Image, Tensor Label, Tensor Sdf, int LabeledCount)
{
    /// <summary>A batch the producer packed, as tensors on <paramref name="device"/>, in the caller's dispose scope.</summary>
    public static BatchTensors From(TrainingBatch batch, Device device)
    {
        var p = batch.Patch;
        var b = batch.BatchSize;
        var image = tensor(batch.Image, [b, 1, p.X, p.Y, p.Z]).to(device);
        var label = tensor(batch.Label, [b, p.X, p.Y, p.Z]).to(ScalarType.Int64).to(device);
        var sdf = tensor(batch.Sdf, [b, p.X, p.Y, p.Z]).to(device);
        return new BatchTensors(image, label, sdf, batch.LabeledCount);
    }
}
