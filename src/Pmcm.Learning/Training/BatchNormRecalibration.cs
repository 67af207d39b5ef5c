using Pmcm.Core.Data;
using Pmcm.Core.Transforms;
using Pmcm.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// Recomputes the BatchNorm running statistics of a segmentation network under inference conditions
/// ("precise BatchNorm"), before it is validated and saved. In training the running statistics are an
/// exponential average (momentum 0.1) over the last few mini-batches of 2–4 random crops, all seen through the
/// two Dropout3d(0.5) layers; in evaluation there is no dropout. At CPU scale both make the evaluated network
/// drift from checkpoint to checkpoint. Here the statistics become the plain average over
/// <see cref="Batches"/> batches of training crops, with the current weights, dropout off and no gradients.
/// Training itself is untouched: in training mode BatchNorm normalises with batch statistics, never the
/// running ones. The crops come from a fixed stream keyed by the run's seed, so every call sees the same
/// crops and a resumed run recalibrates exactly like the uninterrupted one.
/// </summary>
public sealed class BatchNormRecalibration(int caseCount, Func<int, Sample> loadCase, TrainingAugmentation augmentation, int batches, int batchSize, ulong seed)
{
    /// <summary>Keeps the recalibration stream apart from the training batches' augmentation streams.</summary>
    private const ulong StreamKey = 0xB47C_4E0A_11B2_0001;

    public int Batches { get; } = batches;

    public void Apply(SegmentationNet network, Device device)
    {
        var norms = network.modules().OfType<BatchNorm3d>().ToList();
        if (norms.Count == 0 || Batches <= 0) return;
        var dropouts = network.modules().OfType<Dropout3d>().ToList();
        var wasTraining = network.training;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var momenta = norms.Select(n => n.momentum).ToArray();
        var tracked = norms.Select(n => n.num_batches_tracked?.clone()).ToArray();
        var means = norms.Select(n => zeros_like(n.running_mean!)).ToArray();
        var variances = norms.Select(n => zeros_like(n.running_var!)).ToArray();

        network.train();
        foreach (var dropout in dropouts) dropout.eval();
        foreach (var norm in norms) norm.momentum = 1.0; // each forward leaves exactly this batch's statistics
        for (var k = 0; k < Batches; k++)
        {
            using var quiet = TorchGcGuard.Enter();
            using var step = NewDisposeScope();
            network.forward(Batch(k).to(device));
            for (var i = 0; i < norms.Count; i++)
            {
                means[i].add_(norms[i].running_mean!);
                variances[i].add_(norms[i].running_var!);
            }
        }
        for (var i = 0; i < norms.Count; i++)
        {
            norms[i].running_mean!.copy_(means[i].div_(Batches));
            norms[i].running_var!.copy_(variances[i].div_(Batches));
            norms[i].momentum = momenta[i];
            if (tracked[i] is { } count) norms[i].num_batches_tracked!.copy_(count);
        }
        if (wasTraining) network.train();
        else network.eval();
    }

    /// <summary>Batch k of the fixed stream: each slot draws a training case, then augments and crops it as in training.</summary>
    public Tensor Batch(int k)
    {
        var patch = augmentation.Options.Patch;
        var voxels = (int)patch.Count;
        var images = new float[batchSize * voxels];
        for (var slot = 0; slot < batchSize; slot++)
        {
            var rng = Rng.ForStream(seed, StreamKey, (ulong)k, (ulong)slot);
            var sample = augmentation.Apply(loadCase(rng.NextInt(caseCount)), rng);
            sample.Image.CopyTo(images, slot * voxels);
        }
        return tensor(images, [batchSize, 1, patch.X, patch.Y, patch.Z]);
    }
}
