using Pmcm.Core.IO;
using Pmcm.Core.Synthetic;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Tests.Training;

/// <summary>A tiny synthetic dataset (6 train + 2 test cases of 32³, no gt_dis) and CPU-sized options over it.</summary>
public static class TinyDataset
{
    public static string Write(string directory)
    {
        var options = new SyntheticOptions { Size = new Shape3(32, 32, 32), Cases = 8, TestFraction = 0.25, Seed = 7 };
        // Without gt_dis, so the trainer must compute and cache the SDFs itself.
        new SyntheticDatasetWriter(options, (path, image, label, _) => new H5Case(image, label).Write(path)).Write(directory);
        return directory;
    }

    public static TrainingOptions Options(string data, string run, int iterations) => TrainingOptions.For(TrainingPreset.La, data, run) with
    {
        Labeled = 2,
        Iterations = iterations,
        Patch = new Shape3(32, 32, 16),
        BatchSize = 2,
        LabeledBatchSize = 1,
        NFilters = 2,
        ValidateEvery = 3,
        Stride = new Shape3(16, 16, 16),
        Threads = 1,
    };
}
