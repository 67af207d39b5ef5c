using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// One optimisation step of a training method (PMCM, its ablations, MC-Net, supervised V-Net): the trainer feeds
/// batches and checkpoints the modules without knowing which method it runs.
/// </summary>
public interface ITrainingStep
{
    /// <summary>The segmentation network; its decoder 1 is what inference uses.</summary>
    SegmentationNet Network { get; }

    /// <summary>Every module with trainable state, by the name used in checkpoints (the network is "model").</summary>
    IReadOnlyDictionary<string, nn.Module> Modules { get; }

    SGD Optimizer { get; }

    /// <summary>A whole step in its own dispose scope; returns every loss term and weight by name ("total" included).</summary>
    IReadOnlyDictionary<string, double> Train(BatchTensors batch, long iteration);
}
