using Pmcm.Core;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;

namespace Pmcm.Learning.Training;

/// <summary>The methods `pmcm train --method` knows: PMCM, its two ablations and the two baselines.</summary>
public enum TrainingMethod
{
    Pmcm,
    PmcmNoPml,
    PmcmNoCml,
    PmcmSupervisedTerms,
    McNet,
    Supervised,
    SupervisedUnlabeledBn,
}

/// <summary>The descriptor of every method, and lookups by name.</summary>
public static class TrainingMethods
{
    /// <summary>
    /// The methods, in the order the CLI lists them. The PMCM ablations switch off one part of the objective: without
    /// PML the mutual prototype terms go, without CML the mapping networks' task-consistency and cycle terms go (the
    /// SDF head stays supervised, as both heads belong to the network). <c>pmcm-supervised-terms</c> keeps only the
    /// supervised terms (Dice and SDF on both decoders): PMCM's network, batches and schedule with every term that
    /// reads the unlabeled cases at weight zero, so set beside <c>supervised</c> it measures PMCM's supervised part,
    /// and beside <c>pmcm</c> what the unlabeled cases add. Its unlabeled samples still pass through the network
    /// and so still shape the BatchNorm statistics. <c>supervised-unlabeled-bn</c> is <c>supervised</c> with the same
    /// batches as PMCM: its unlabeled crops pass through the network without a loss, so set beside <c>supervised</c>
    /// it measures what that BatchNorm alone takes from the unlabeled cases.
    /// </summary>
    public static readonly IReadOnlyList<TrainingMethodDescriptor> All =
    [
        Pmcm(TrainingMethod.Pmcm, "pmcm", loss => loss),
        Pmcm(TrainingMethod.PmcmNoPml, "pmcm-no-pml", loss => loss with { UsePml = false }),
        Pmcm(TrainingMethod.PmcmNoCml, "pmcm-no-cml", loss => loss with { UseCml = false }),
        Pmcm(TrainingMethod.PmcmSupervisedTerms, "pmcm-supervised-terms", loss => loss with { UsePml = false, UseCml = false, Diversity = 0 }),
        new(TrainingMethod.McNet, "mcnet", UsesUnlabeled: true, UsesRamp: true,
            options => new McNet(options), (network, loss, optimizer) => new McNetStep((McNet)network, loss.Ramp, optimizer)),
        new(TrainingMethod.Supervised, "supervised", UsesUnlabeled: false, UsesRamp: false,
            options => new VNet(options), (network, _, optimizer) => new SupervisedStep((VNet)network, optimizer)),
        new(TrainingMethod.SupervisedUnlabeledBn, "supervised-unlabeled-bn", UsesUnlabeled: true, UsesRamp: false,
            options => new VNet(options), (network, _, optimizer) => new SupervisedStep((VNet)network, optimizer, normaliseOverUnlabeled: true)),
    ];

    public static IReadOnlyCollection<string> Allowed => All.Select(d => d.Name).ToList();

    public static TrainingMethodDescriptor Describe(TrainingMethod method) => All.First(d => d.Method == method);

    public static TrainingMethod Parse(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))?.Method
        ?? throw new PmcmException($"unknown method '{name}': use one of {string.Join(", ", Allowed)}");

    public static string Name(TrainingMethod method) => Describe(method).Name;

    /// <summary>The network a method trains; inference rebuilds it from the method name in a run's record.</summary>
    public static SegmentationNet CreateNetwork(TrainingMethod method, NetworkOptions options) => Describe(method).CreateNetwork(options);

    public static ITrainingStep CreateStep(TrainingMethod method, SegmentationNet network, PmcmLossOptions loss, OptimizerOptions optimizer) =>
        Describe(method).CreateStep(network, loss, optimizer);

    private static TrainingMethodDescriptor Pmcm(TrainingMethod method, string name, Func<PmcmLossOptions, PmcmLossOptions> objective) =>
        new(method, name, UsesUnlabeled: true, UsesRamp: true, options => new PmcmNet(options), (network, loss, optimizer) =>
            new PmcmStep((PmcmNet)network,
                new MappingNet(network.Options.Classes, network.Options.MappingChannels),
                new MappingNet(network.Options.Classes, network.Options.MappingChannels),
                objective(loss), optimizer), HasLossWeights: true);
}
