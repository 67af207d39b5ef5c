namespace Pmcm.Core.Metrics;

/// <summary>Mean and standard deviation of one score over cases.</summary>
/// <param name="Std">Population standard deviation (ddof = 0), as numpy's <c>np.std</c> that the reference reports.</param>
/// <param name="Count">How many cases had the score defined (not NaN); mean and std are over those only.</param>
public readonly record struct Statistic(double Mean, double Std, int Count);
