namespace Pmcm.Learning.Networks;

/// <summary>What CML applies to a mapping network's output (docs/method.md §4): nothing, tanh (→ SDF) or a channel softmax (→ segmentation).</summary>
public enum MappingActivation
{
    None,
    Tanh,
    Softmax,
}
