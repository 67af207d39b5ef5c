using Pmcm.Core.Data;

namespace Pmcm.Core.Metrics;

/// <summary>
/// The percentile bootstrap of a statistic of paired samples (a_i, b_i), e.g. one method's and a baseline's score
/// on the same case: <see cref="Resamples"/> times, n pairs are drawn with replacement (pairs stay together), the
/// statistic is computed from the two resampled means, and the interval is the (1 − c)/2 and (1 + c)/2
/// percentiles of those values, interpolated linearly between order statistics as numpy's default
/// <c>np.percentile</c> does. Pairs that share a cluster (one validation case scored by runs of several seeds) are
/// not independent draws: given cluster labels, the bootstrap draws as many clusters as there are, with
/// replacement, and each drawn cluster brings all its pairs (the cluster bootstrap); without labels every pair is
/// its own cluster, which is the plain pair bootstrap draw for draw. The draws come from <see cref="Rng"/> seeded with <see cref="Seed"/>, so a report is
/// reproducible to the last digit, and two statistics of the same pairs see the same resamples.
/// </summary>
public sealed record PairedBootstrap(int Resamples = 10_000, ulong Seed = PairedBootstrap.DefaultSeed, double Confidence = 0.95)
{
    public const ulong DefaultSeed = 20_251_126;

    /// <summary>mean(a) − mean(b), with its interval.</summary>
    public BootstrapInterval MeanDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<string>? clusters = null) =>
        Of(a, b, (ma, mb) => ma - mb, clusters);

    /// <summary>mean(a) / mean(b), with its interval (a resample whose mean(b) is 0 gives ±∞ or NaN there).</summary>
    public BootstrapInterval RatioOfMeans(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<string>? clusters = null) =>
        Of(a, b, (ma, mb) => ma / mb, clusters);

    /// <summary>Any statistic of the two means, with its interval; <paramref name="clusters"/> labels each pair's cluster.</summary>
    /// <exception cref="ArgumentException">The samples or labels differ in length, are empty or hold NaN.</exception>
    public BootstrapInterval Of(IReadOnlyList<double> a, IReadOnlyList<double> b, Func<double, double, double> statistic,
        IReadOnlyList<string>? clusters = null)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired samples of {a.Count} and {b.Count} values");
        if (a.Count == 0) throw new ArgumentException("no pairs to resample");
        if (clusters is not null && clusters.Count != a.Count) throw new ArgumentException($"{clusters.Count} cluster labels for {a.Count} pairs");
        if (a.Any(double.IsNaN) || b.Any(double.IsNaN)) throw new ArgumentException("a paired sample holds NaN; leave such pairs out first");
        if (Resamples < 1) throw new ArgumentException($"{Resamples} resamples: at least 1");
        if (!(Confidence is > 0 and < 1)) throw new ArgumentException($"confidence {Confidence}: between 0 and 1");

        // Each cluster's pair indices, in the order the clusters first appear.
        var members = clusters is null
            ? Enumerable.Range(0, a.Count).Select(i => new[] { i }).ToArray()
            : Enumerable.Range(0, a.Count).GroupBy(i => clusters[i], StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();
        var rng = new Rng(Seed);
        var values = new double[Resamples];
        for (var r = 0; r < Resamples; r++)
        {
            double sumA = 0, sumB = 0;
            var n = 0;
            for (var k = 0; k < members.Length; k++)
                foreach (var i in members[rng.NextInt(members.Length)])
                {
                    sumA += a[i];
                    sumB += b[i];
                    n++;
                }
            values[r] = statistic(sumA / n, sumB / n);
        }
        Array.Sort(values);
        var tail = (1 - Confidence) / 2;
        return new BootstrapInterval(statistic(a.Average(), b.Average()), Percentile(values, tail), Percentile(values, 1 - tail), a.Count);
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
