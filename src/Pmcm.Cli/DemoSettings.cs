using Pmcm.Core.Synthetic;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Training;

namespace Pmcm.Cli;

/// <summary>
/// Sizes of `pmcm demo`: a synthetic dataset and a CPU-sized PMCM run on it. <see cref="Full"/> aims at
/// Dice ≥ 0.8 within minutes on two cores; <see cref="Quick"/> is a smoke test of about a minute.
/// </summary>
public sealed record DemoSettings(SyntheticOptions Data, int Labeled, int Iterations, Shape3 Patch, Shape3 Stride,
    int BatchSize, int LabeledBatchSize, int NFilters, int ValidateEvery)
{
    /// <summary>24 cases of 64×64×48 (20 train, 4 test), 4 labeled, patch 48×48×32 and 8 filters to fit a 2-core CPU.</summary>
    public static DemoSettings Full => new(
        new SyntheticOptions { Size = new Shape3(64, 64, 48), Cases = 24, TestFraction = 4.0 / 24 },
        Labeled: 4, Iterations: 400, Patch: new Shape3(48, 48, 32), Stride: new Shape3(16, 16, 16),
        BatchSize: 4, LabeledBatchSize: 2, NFilters: 8, ValidateEvery: 100);

    /// <summary>8 cases of 32³ (6 train, 2 test), 2 labeled, a few iterations of a 2-filter network.</summary>
    public static DemoSettings Quick => new(
        new SyntheticOptions { Size = new Shape3(32, 32, 32), Cases = 8, TestFraction = 0.25 },
        Labeled: 2, Iterations: 10, Patch: new Shape3(32, 32, 16), Stride: new Shape3(16, 16, 16),
        BatchSize: 2, LabeledBatchSize: 1, NFilters: 2, ValidateEvery: 5);

    public TrainingOptions Training(string data, string run) => TrainingOptions.For(TrainingPreset.La, data, run) with
    {
        Labeled = Labeled,
        Iterations = Iterations,
        Patch = Patch,
        Stride = Stride,
        BatchSize = BatchSize,
        LabeledBatchSize = LabeledBatchSize,
        NFilters = NFilters,
        ValidateEvery = ValidateEvery,
    };
}
