namespace Pmcm.Learning.Networks;

/// <summary>Shape of the PMCM network: input channels, classes, base filter count and dropout.</summary>
public sealed record NetworkOptions
{
    public int InChannels { get; init; } = 1;
    public int Classes { get; init; } = 2;
    /// <summary>n of docs/method.md §1: channels of the first level (16 in the paper).</summary>
    public int NFilters { get; init; } = 16;
    /// <summary>Dropout3d rate on x5 and x9 while training (0.5 in the reference; 0 disables it).</summary>
    public double DropoutRate { get; init; } = 0.5;
    /// <summary>Hidden channels of the CML mapping networks (8 in the reference).</summary>
    public int MappingChannels { get; init; } = 8;
    /// <summary>What the encoder and decoder blocks compute in at first (<see cref="SegmentationNet.Precision"/> can change it).</summary>
    public Precision Precision { get; init; } = Precision.Fp32;
}
