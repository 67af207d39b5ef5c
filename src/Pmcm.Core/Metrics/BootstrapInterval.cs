namespace Pmcm.Core.Metrics;

/// <summary>A statistic of the original sample with the bootstrap percentile interval around it.</summary>
/// <param name="Estimate">The statistic on the sample itself (not the mean of the resamples).</param>
/// <param name="Low">The lower percentile of the resampled statistics.</param>
/// <param name="High">The upper percentile of the resampled statistics.</param>
/// <param name="Count">How many pairs were resampled.</param>
public readonly record struct BootstrapInterval(double Estimate, double Low, double High, int Count)
{
    /// <summary>True when the whole interval lies above zero (a difference shown to be positive at its level).</summary>
    public bool AboveZero => Low > 0;
}
