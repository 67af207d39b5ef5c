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
    McNet,
    Supervised,
}

public static class TrainingMethods
{
    private static readonly Dictionary<string, TrainingMethod> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pmcm"] = TrainingMethod.Pmcm,
        ["pmcm-no-pml"] = TrainingMethod.PmcmNoPml,
        ["pmcm-no-cml"] = TrainingMethod.PmcmNoCml,
        ["mcnet"] = TrainingMethod.McNet,
        ["supervised"] = TrainingMethod.Supervised,
    };

    public static IReadOnlyCollection<string> Allowed => Names.Keys;

    public static TrainingMethod Parse(string name) =>
        Names.TryGetValue(name.Trim(), out var method)
            ? method
            : throw new PmcmException($"unknown method '{name}': use one of {string.Join(", ", Names.Keys)}");

    public static string Name(TrainingMethod method) => Names.First(kv => kv.Value == method).Key;

    /// <summary>Whether the method learns from unlabeled cases (the supervised baseline does not).</summary>
    public static bool UsesUnlabeled(TrainingMethod method) => method != TrainingMethod.Supervised;

    /// <summary>The network a method trains; inference rebuilds it from the method name in a run's config.</summary>
    public static SegmentationNet CreateNetwork(TrainingMethod method, NetworkOptions options) => method switch
    {
        TrainingMethod.McNet => new McNet(options),
        TrainingMethod.Supervised => new VNet(options),
        _ => new PmcmNet(options),
    };

    /// <summary>
    /// The step of a method. The PMCM ablations switch off one part of the objective: without PML the mutual
    /// prototype terms go, without CML the mapping networks' task-consistency and cycle terms go (the SDF head stays
    /// supervised, as both heads belong to the network).
    /// </summary>
    public static ITrainingStep CreateStep(TrainingMethod method, SegmentationNet network, PmcmLossOptions loss, OptimizerOptions optimizer) => method switch
    {
        TrainingMethod.McNet => new McNetStep((McNet)network, loss.Ramp, optimizer),
        TrainingMethod.Supervised => new SupervisedStep((VNet)network, optimizer),
        _ => new PmcmStep((PmcmNet)network,
            new MappingNet(network.Options.Classes, network.Options.MappingChannels),
            new MappingNet(network.Options.Classes, network.Options.MappingChannels),
            method switch
            {
                TrainingMethod.PmcmNoPml => loss with { UsePml = false },
                TrainingMethod.PmcmNoCml => loss with { UseCml = false },
                _ => loss,
            },
            optimizer),
    };
}
