namespace Pmcm.Core.Data;

/// <summary>
/// The complete state of an <see cref="Rng"/>: four 64-bit words. Saved in checkpoints so that a
/// resumed run draws exactly the numbers the interrupted one would have drawn.
/// </summary>
public readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3)
{
    public bool IsValid => (S0 | S1 | S2 | S3) != 0;
}
