using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;

namespace Pmcm.Learning.Training;

/// <summary>
/// What one training method is, in one place: its CLI name, whether it learns from unlabeled cases (and so needs
/// them in every batch and in the split), which network and step it builds, and whether its consistency weight
/// follows the ramp-up schedule. <see cref="HasLossWeights"/>: it trains PMCM's objective, so `--loss-weights` applies.
/// </summary>
public sealed record TrainingMethodDescriptor(
    TrainingMethod Method,
    string Name,
    bool UsesUnlabeled,
    bool UsesRamp,
    Func<NetworkOptions, SegmentationNet> CreateNetwork,
    Func<SegmentationNet, PmcmLossOptions, OptimizerOptions, ITrainingStep> CreateStep,
    bool HasLossWeights = false);
