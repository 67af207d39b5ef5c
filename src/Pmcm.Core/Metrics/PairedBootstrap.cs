using Pmcm.Core.Data;

namespace Pmcm.Core.Metrics;

/// <summary>
/// The percentile bootstrap of a statistic of paired samples (a_i, b_i), e.g. one method's and a baseline's score
/// on the same case: <see cref="Resamples"/> times, n pairs are drawn with replacement (pairs stay together), the
/// statistic is computed from the two resampled means, and the interval is the (1 − c)/2 and (1 + c)/2
/// percentiles of those values, interpolated linearly between order statistics as numpy's default
/// <c>np.percentile</c> does. The draws come from <see cref="Rng"/> seeded with <see cref="Seed"/>, so a report is
/// reproducible to the last digit, and two statistics of the same pairs see the same resamples.
/// </summary>
public sealed record PairedBootstrap(int Resamples = 10_000, ulong Seed = PairedBootstrap.DefaultSeed, double Confidence = 0.95)
{
    public const ulong DefaultSeed = 20_251_126;

    /// <summary>mean(a) − mean(b), with its interval.</summary>
    public BootstrapInterval MeanDifference(IReadOnlyList<double> a, IReadOnlyList<double> b) => Of(a, b, (ma, mb) => ma - mb);

    /// <summary>mean(a) / mean(b), with its interval (a resample whose mean(b) is 0 gives ±∞ or NaN there).</summary>
    public BootstrapInterval RatioOfMeans(IReadOnlyList<double> a, IReadOnlyList<double> b) => Of(a, b, (ma, mb) => ma / mb);

    /// <summary>Any statistic of the two means, with its interval.</summary>
    /// <exception cref="ArgumentException">The samples differ in length, are empty or hold NaN.</exception>
    public BootstrapInterval Of(IReadOnlyList<double> a, IReadOnlyList<double> b, Func<double, double, double> statistic)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired samples of {a.Count} and {b.Count} values");
        if (a.Count == 0) throw new ArgumentException("no pairs to resample");
        if (a.Any(double.IsNaN) || b.Any(double.IsNaN)) throw new ArgumentException("a paired sample holds NaN; leave such pairs out first");
        if (Resamples < 1) throw new ArgumentException($"{Resamples} resamples: at least 1");
        if (!(Confidence is > 0 and < 1)) throw new ArgumentException($"confidence {Confidence}: between 0 and 1");

        var n = a.Count;
        var rng = new Rng(Seed);
        var values = new double[Resamples];
        for (var r = 0; r < Resamples; r++)
        {
            double sumA = 0, sumB = 0;
            for (var k = 0; k < n; k++)
            {
                var i = rng.NextInt(n);
                sumA += a[i];
                sumB += b[i];
            }
            values[r] = statistic(sumA / n, sumB / n);
        }
        Array.Sort(values);
        var tail = (1 - Confidence) / 2;
        return new BootstrapInterval(statistic(a.Average(), b.Average()), Percentile(values, tail), Percentile(values, 1 - tail), n);
    }

    /// <summary>numpy's default (linear) percentile of sorted values, <paramref name="q"/> in [0, 1].</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
