namespace Pmcm.Learning.Experiments;

/// <summary>
/// Mean and sample standard deviation (ddof = 1) of one score over a row's seeds, each seed contributing one
/// value (its mean over the validation cases). With one seed the spread is unknown and <see cref="Std"/> is NaN.
/// </summary>
public readonly record struct SeedStatistic(double Mean, double Std, int Seeds)
{
    public static SeedStatistic Of(IEnumerable<double> perSeed)
    {
        var values = perSeed.Where(v => !double.IsNaN(v)).ToArray();
        if (values.Length == 0) return new SeedStatistic(double.NaN, double.NaN, 0);
        var mean = values.Average();
        var std = values.Length < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return new SeedStatistic(mean, std, values.Length);
    }
}
