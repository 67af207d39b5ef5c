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
/// its own cluster, which is the plain pair bootstrap draw for draw.
/// A second labelling crossed with the clusters (each pair's seed) makes it the two-way bootstrap of a crossed
/// design: each resample also draws as many seeds as there are, with replacement, and a pair counts (times its
/// case was drawn) × (times its seed was drawn). Drawing cases alone treats the seeds' runs as fixed, so its
/// interval leaves out how much a result moves from one training run to the next; drawing both carries that
/// spread in. No bootstrap of a crossed design is exact (McCullagh 2000): this one counts the case-by-seed
/// interaction more than once, which widens it, while a handful of seeds gives few distinct draws, which narrows it.
/// The draws come from <see cref="Rng"/> seeded with <see cref="Seed"/>, so a report is reproducible to the last
/// digit, and two statistics of the same pairs see the same resamples.
/// </summary>
public sealed record PairedBootstrap(int Resamples = 10_000, ulong Seed = PairedBootstrap.DefaultSeed, double Confidence = 0.95)
{
    public const ulong DefaultSeed = 20_251_126;

    /// <summary>mean(a) − mean(b), with its interval.</summary>
    public BootstrapInterval MeanDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<string>? clusters = null,
        IReadOnlyList<string>? crossed = null) =>
        Of(a, b, (ma, mb) => ma - mb, clusters, crossed);

    /// <summary>mean(a) / mean(b), with its interval (a resample whose mean(b) is 0 gives ±∞ or NaN there).</summary>
    public BootstrapInterval RatioOfMeans(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<string>? clusters = null,
        IReadOnlyList<string>? crossed = null) =>
        Of(a, b, (ma, mb) => ma / mb, clusters, crossed);

    /// <summary>
    /// Any statistic of the two means, with its interval; <paramref name="clusters"/> labels each pair's cluster and
    /// <paramref name="crossed"/> each pair's label in the second, crossed factor (with one distinct label it draws
    /// nothing, so the interval is the cluster bootstrap's to the last digit).
    /// </summary>
    /// <exception cref="ArgumentException">The samples or labels differ in length, are empty or hold NaN.</exception>
    public BootstrapInterval Of(IReadOnlyList<double> a, IReadOnlyList<double> b, Func<double, double, double> statistic,
        IReadOnlyList<string>? clusters = null, IReadOnlyList<string>? crossed = null)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired samples of {a.Count} and {b.Count} values");
        if (a.Count == 0) throw new ArgumentException("no pairs to resample");
        if (clusters is not null && clusters.Count != a.Count) throw new ArgumentException($"{clusters.Count} cluster labels for {a.Count} pairs");
        if (crossed is not null && crossed.Count != a.Count) throw new ArgumentException($"{crossed.Count} crossed labels for {a.Count} pairs");
        if (a.Any(double.IsNaN) || b.Any(double.IsNaN)) throw new ArgumentException("a paired sample holds NaN; leave such pairs out first");
        if (Resamples < 1) throw new ArgumentException($"{Resamples} resamples: at least 1");
        if (!(Confidence is > 0 and < 1)) throw new ArgumentException($"confidence {Confidence}: between 0 and 1");

        var (clusterOf, clusterCount) = Levels(clusters, a.Count);
        var (crossedOf, crossedCount) = crossed is null ? (new int[a.Count], 1) : Levels(crossed, a.Count);
        var drawnClusters = new int[clusterCount];
        var drawnCrossed = new int[crossedCount];
        var rng = new Rng(Seed);
        var values = new double[Resamples];
        for (var r = 0; r < Resamples; r++)
        {
            double sumA, sumB;
            long n;
            do // with a crossed factor, a resample can draw only (case, seed) cells that hold no pair: draw again
            {
                Draw(rng, drawnClusters);
                if (crossedCount > 1) Draw(rng, drawnCrossed);
                else drawnCrossed[0] = 1;
                (sumA, sumB, n) = (0, 0, 0);
                for (var i = 0; i < a.Count; i++)
                {
                    long w = drawnClusters[clusterOf[i]] * drawnCrossed[crossedOf[i]];
                    sumA += w * a[i];
                    sumB += w * b[i];
                    n += w;
                }
            }
            while (n == 0);
            values[r] = statistic(sumA / n, sumB / n);
        }
        Array.Sort(values);
        var tail = (1 - Confidence) / 2;
        return new BootstrapInterval(statistic(a.Average(), b.Average()), Percentile(values, tail), Percentile(values, 1 - tail), a.Count);
    }

    /// <summary>Each pair's level index (levels numbered in the order they first appear) and the number of levels; no labels: every pair its own level.</summary>
    private static (int[] LevelOf, int Count) Levels(IReadOnlyList<string>? labels, int pairs)
    {
        if (labels is null) return (Enumerable.Range(0, pairs).ToArray(), pairs);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var levelOf = labels.Select(l => index.TryGetValue(l, out var k) ? k : index[l] = index.Count).ToArray();
        return (levelOf, index.Count);
    }

    /// <summary>As many draws with replacement as there are levels; <paramref name="counts"/>[k] = how often level k was drawn.</summary>
    private static void Draw(Rng rng, int[] counts)
    {
        Array.Clear(counts);
        for (var k = 0; k < counts.Length; k++) counts[rng.NextInt(counts.Length)]++;
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
