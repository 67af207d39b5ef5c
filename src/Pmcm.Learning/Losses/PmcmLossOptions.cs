namespace Pmcm.Learning.Losses;

/// <summary>
/// Weights and switches of the PMCM objective (docs/method.md §5) with the paper's defaults per dataset.
/// The <c>Correct…</c> switches turn a reference quirk into the behaviour the paper describes; all are off
/// by default so that the defaults reproduce the published code.
/// </summary>
public sealed record PmcmLossOptions
{
    /// <summary>λ: supervised Dice (and, times β, the SDF loss).</summary>
    public double Supervised { get; init; } = 1.0;
    /// <summary>β: SDF loss relative to λ.</summary>
    public double Sdf { get; init; } = 1.0;
    /// <summary>γ: task consistency (and the Pancreas DTC term).</summary>
    public double TaskConsistency { get; init; } = 0.05;
    /// <summary>φ: feature diversity.</summary>
    public double Diversity { get; init; } = 0.1;
    /// <summary>μ: the two cycles.</summary>
    public double Cycles { get; init; } = 0.005;
    /// <summary>κ: prototypical mutual learning.</summary>
    public double Pml { get; init; } = 1.5;
    /// <summary>ρ: unlabeled–labeled prototype alignment.</summary>
    public double Ual { get; init; } = 0.7;
    /// <summary>Adds the DTC-style term γ·rampup·Σ_k mean((sigmoid(−1500 d_k) − p_k)²) (the reference's Pancreas setting).</summary>
    public bool DtcTerm { get; init; }

    public bool UsePml { get; init; } = true;
    public bool UseCml { get; init; } = true;

    /// <summary>
    /// On: PML and the feature diversity run as fused C# kernels when the tensors are float32 on the CPU (any other
    /// device or type uses the composition); off: always the libtorch composition of the per-term functions.
    /// Same values either way up to float32 rounding.
    /// </summary>
    public bool FusedKernels { get; init; } = true;

    public RampSchedule Ramp { get; init; } = RampSchedule.Reference;

    /// <summary>(quirk) off: PML's cross-entropy takes the student's probabilities as logits; on: its logits.</summary>
    public bool CorrectPmlCrossEntropy { get; init; }
    /// <summary>(quirk) off: decoder 1's SDF cycle squares the mean difference; on: mean squared difference.</summary>
    public bool CorrectSdfCycle { get; init; }
    /// <summary>
    /// (quirk) off: κ and ρ are ramped with iteration t + 1 (the reference increments its counter before
    /// computing them); on: with t like every other weight. Differs only when t + 1 is a ramp-step boundary.
    /// </summary>
    public bool CorrectPmlRampIteration { get; init; }

    public static PmcmLossOptions La => new();

    public static PmcmLossOptions Pancreas => new()
    {
        Supervised = 0.5,
        Sdf = 1.0,
        TaskConsistency = 0.01,
        Diversity = 0.01,
        Cycles = 0.005,
        Pml = 2.0,
        Ual = 0.3,
        DtcTerm = true,
    };
}
