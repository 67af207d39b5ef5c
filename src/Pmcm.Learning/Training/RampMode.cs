namespace Pmcm.Learning.Training;

/// <summary>
/// How the consistency ramp-up is timed. <see cref="Scaled"/>: full weight at 40 % of the run, whatever its
/// length (sensible for short runs). <see cref="Reference"/>: the reference's absolute schedule (full
/// weight at iteration 6000).
/// </summary>
public enum RampMode
{
    Scaled,
    Reference,
}
