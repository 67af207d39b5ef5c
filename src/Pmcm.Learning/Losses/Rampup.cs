namespace Pmcm.Learning.Losses;

/// <summary>
/// The consistency ramp-up of docs/method.md: rampup(t) = exp(−5 (1 − clip(t, 0, L)/L)²) with
/// t = iteration // IterationsPerStep. The reference uses L = 40 and 150 iterations per step, so ramped
/// weights reach full value at iteration 6000 whatever the run length.
/// </summary>
public sealed record RampSchedule(int IterationsPerStep = 150, int Length = 40)
{
    /// <summary>The reference's absolute schedule (full weight at iteration 6000).</summary>
    public static RampSchedule Reference => new();

    /// <summary>A schedule that reaches full weight at <paramref name="fraction"/> of a run of <paramref name="iterations"/>.</summary>
    public static RampSchedule Scaled(int iterations, double fraction = 0.4, int length = 40) =>
        new(Math.Max(1, (int)Math.Round(iterations * fraction / length)), length);

    public double At(long iteration)
    {
        if (Length == 0) return 1.0;
        var t = Math.Clamp((double)(iteration / IterationsPerStep), 0, Length);
        var phase = 1.0 - t / Length;
        return Math.Exp(-5.0 * phase * phase);
    }
}
