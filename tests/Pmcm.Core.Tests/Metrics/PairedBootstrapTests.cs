using Pmcm.Core.Data;
using Pmcm.Core.Metrics;

namespace Pmcm.Core.Tests.Metrics;

public class PairedBootstrapTests
{
    private static readonly PairedBootstrap Bootstrap = new();

    [Fact]
    public void Constant_differences_give_a_degenerate_interval_at_the_difference()
    {
        var a = new[] { 0.9, 0.7, 0.85, 0.6, 0.75 };
        var b = a.Select(v => v - 0.25).ToArray(); // every difference is 0.25 up to rounding
        var d = Bootstrap.MeanDifference(a, b);
        Assert.Equal(0.25, d.Estimate, 1e-12);
        Assert.Equal(0.25, d.Low, 1e-12);
        Assert.Equal(0.25, d.High, 1e-12);
        Assert.Equal(5, d.Count);
        Assert.True(d.AboveZero);
    }

    [Fact]
    public void Proportional_samples_give_a_degenerate_ratio()
    {
        var b = new[] { 12.0, 17.5, 9.25, 30 };
        var a = b.Select(v => v / 2).ToArray(); // halving is exact in binary, so every resampled ratio is exactly 0.5
        Assert.Equal(new BootstrapInterval(0.5, 0.5, 0.5, 4), Bootstrap.RatioOfMeans(a, b));
    }

    [Fact]
    public void Three_pairs_match_the_enumerated_bootstrap_distribution()
    {
        // Differences 0, 1, 2: the 27 equally likely resamples have sums 0..6 with counts 1, 3, 6, 7, 6, 3, 1.
        // P(mean = 0) = 1/27 ≈ 3.7 % > 2.5 % and P(mean = 2) = 1/27, so the exact 95 % interval is [0, 2]; with
        // 10 000 draws the 2.5 % order statistic falls among the ≈ 370 zeros, 6 standard deviations from the edge.
        var d = Bootstrap.MeanDifference([0, 1, 2], [0, 0, 0]);
        Assert.Equal(new BootstrapInterval(1, 0, 2, 3), d);
    }

    [Fact]
    public void Five_pairs_match_the_percentiles_of_every_resample_enumerated()
    {
        double[] a = [3.1, 0.4, 2.2, 5.0, 1.3], b = [1.0, 0.9, 0.1, 2.5, 1.4];
        var exact = new List<double>();
        Span<int> pick = stackalloc int[5];
        for (var code = 0; code < 3125; code++) // 5^5 index tuples, each as likely as any draw
        {
            for (int k = 0, c = code; k < 5; k++, c /= 5) pick[k] = c % 5;
            double sa = 0, sb = 0;
            foreach (var i in pick) (sa, sb) = (sa + a[i], sb + b[i]);
            exact.Add(sa / 5 - sb / 5);
        }
        exact.Sort();
        var d = Bootstrap.MeanDifference(a, b);
        Assert.Equal(a.Average() - b.Average(), d.Estimate, 1e-12);
        // The 2.5 % point of 10 000 draws has a standard error of about 0.015 here (√(p(1 − p)/B) over the density
        // there); 0.05 is over three of them. (With this seed both ends land on the exact atoms, 0.10 and 2.26.)
        Assert.Equal(PairedBootstrap.Percentile(exact, 0.025), d.Low, 0.05);
        Assert.Equal(PairedBootstrap.Percentile(exact, 0.975), d.High, 0.05);
    }

    [Fact]
    public void Shifting_one_sample_shifts_the_interval_and_swapping_mirrors_it()
    {
        double[] a = [0.81, 0.62, 0.90, 0.55, 0.73, 0.68], b = [0.79, 0.50, 0.88, 0.61, 0.64, 0.70];
        var d = Bootstrap.MeanDifference(a, b);
        var shifted = Bootstrap.MeanDifference(a.Select(v => v + 0.1).ToArray(), b);
        Assert.Equal(d.Low + 0.1, shifted.Low, 1e-12);
        Assert.Equal(d.High + 0.1, shifted.High, 1e-12);
        var swapped = Bootstrap.MeanDifference(b, a);
        Assert.Equal(-d.High, swapped.Low, 1e-12);
        Assert.Equal(-d.Low, swapped.High, 1e-12);
        Assert.True(d.Low < d.Estimate && d.Estimate < d.High);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_a_close_one()
    {
        double[] a = [0.81, 0.62, 0.90, 0.55, 0.73, 0.68, 0.77, 0.59], b = [0.79, 0.50, 0.88, 0.61, 0.64, 0.70, 0.60, 0.58];
        Assert.Equal(Bootstrap.MeanDifference(a, b), new PairedBootstrap().MeanDifference(a, b));
        var other = new PairedBootstrap(Seed: 7).MeanDifference(a, b);
        Assert.NotEqual(Bootstrap.MeanDifference(a, b).Low, other.Low);
        Assert.Equal(Bootstrap.MeanDifference(a, b).Low, other.Low, 0.01);
    }

    [Fact]
    public void The_interval_of_a_normal_mean_covers_it_about_95_times_in_100()
    {
        // 400 samples of 24 differences from N(0.3, 1): the percentile interval should hold 0.3 in about 95 % of them,
        // a little less at n = 24 (it is a few per cent too narrow there); this seed gives 91 %. The binomial noise
        // of 400 trials is ± 1.3 %, so 0.88..0.99 fails only for an interval of the wrong width or place.
        var rng = new Rng(11);
        var bootstrap = new PairedBootstrap(Resamples: 2000);
        var covered = 0;
        for (var trial = 0; trial < 400; trial++)
        {
            var a = Enumerable.Range(0, 24).Select(_ => 0.3 + Normal(rng)).ToArray();
            var d = bootstrap.MeanDifference(a, new double[24]);
            if (d.Low <= 0.3 && 0.3 <= d.High) covered++;
        }
        Assert.InRange(covered / 400.0, 0.88, 0.99);
    }

    [Fact]
    public void Every_pair_its_own_cluster_is_the_pair_bootstrap_draw_for_draw()
    {
        double[] a = [0.81, 0.62, 0.90, 0.55, 0.73, 0.68], b = [0.79, 0.50, 0.88, 0.61, 0.64, 0.70];
        Assert.Equal(Bootstrap.MeanDifference(a, b), Bootstrap.MeanDifference(a, b, ["u", "v", "w", "x", "y", "z"]));
    }

    [Fact]
    public void A_cluster_of_copies_weighs_as_one_pair()
    {
        // Each pair twice, the copies sharing a cluster: every resample draws the same clusters as the plain
        // bootstrap draws pairs, and two copies change no mean.
        double[] a = [3.1, 0.4, 2.2, 5.0, 1.3], b = [1.0, 0.9, 0.1, 2.5, 1.4];
        var plain = Bootstrap.MeanDifference(a, b);
        var copies = Bootstrap.MeanDifference([.. a, .. a], [.. b, .. b], ["p", "q", "r", "s", "t", "p", "q", "r", "s", "t"]);
        Assert.Equal(10, copies.Count);
        Assert.Equal(plain.Estimate, copies.Estimate, 1e-12);
        Assert.Equal(plain.Low, copies.Low, 1e-12);
        Assert.Equal(plain.High, copies.High, 1e-12);
    }

    [Fact]
    public void Clustered_pairs_give_the_wider_interval_their_dependence_calls_for()
    {
        // Two cases, each scored under three seeds: +1 on every pair of case X, −1 on every pair of case Y.
        // Drawing the two cases: XX (1/4) gives +1, XY/YX (1/2) 0, YY (1/4) −1, so the interval is [−1, +1].
        // Drawing the six pairs independently: a mean of +1 needs six X draws (1/64 < 2.5 %), while 5 or 6 of 6
        // have 7/64 ≈ 11 %, so the 97.5 % point is the atom at +2/3 (and −2/3 below).
        double[] a = [1, 1, 1, -1, -1, -1], b = new double[6];
        Assert.Equal(new BootstrapInterval(0, -1, 1, 6), Bootstrap.MeanDifference(a, b, ["X", "X", "X", "Y", "Y", "Y"]));
        var pairs = Bootstrap.MeanDifference(a, b);
        Assert.Equal(-2.0 / 3, pairs.Low, 1e-12);
        Assert.Equal(2.0 / 3, pairs.High, 1e-12);
    }

    [Fact]
    public void One_seed_crossed_with_the_cases_is_the_cluster_bootstrap_to_the_last_digit()
    {
        double[] a = [0.81, 0.62, 0.90, 0.55, 0.73, 0.68], b = [0.79, 0.50, 0.88, 0.61, 0.64, 0.70];
        string[] cases = ["u", "v", "w", "u", "v", "w"];
        Assert.Equal(Bootstrap.MeanDifference(a, b, cases), Bootstrap.MeanDifference(a, b, cases, ["1", "1", "1", "1", "1", "1"]));
    }

    [Fact]
    public void Drawing_seeds_too_carries_the_spread_between_runs_into_the_interval()
    {
        // One case scored by two seeds' runs, differences 0 (seed 1) and 1 (seed 2). Drawing cases alone always
        // brings both seeds: a degenerate interval at 0.5. Drawing the two seeds as well: 11 (1/4) gives 0,
        // 12/21 (1/2) 0.5, 22 (1/4) 1, so the interval is [0, 1], the two runs' own results.
        double[] a = [0, 1], b = [0, 0];
        Assert.Equal(new BootstrapInterval(0.5, 0.5, 0.5, 2), Bootstrap.MeanDifference(a, b, ["A", "A"]));
        Assert.Equal(new BootstrapInterval(0.5, 0, 1, 2), Bootstrap.MeanDifference(a, b, ["A", "A"], ["1", "2"]));
    }

    [Fact]
    public void Seeds_that_agree_leave_the_case_interval_as_it_was()
    {
        // Three seeds with the same difference on each case: whichever seeds are drawn, a resample's mean is the
        // drawn cases' mean, so the crossed interval estimates the case interval (its draws differ, not its law;
        // 0.01 is several Monte Carlo standard errors of a percentile here).
        double[] perCase = [0.12, -0.03, 0.20, 0.05, 0.31, -0.10, 0.08, 0.15];
        var a = perCase.Concat(perCase).Concat(perCase).ToArray();
        var cases = Enumerable.Range(0, 24).Select(i => $"c{i % 8}").ToArray();
        var seeds = Enumerable.Range(0, 24).Select(i => $"s{i / 8}").ToArray();
        var byCase = Bootstrap.MeanDifference(a, new double[24], cases);
        var crossed = Bootstrap.MeanDifference(a, new double[24], cases, seeds);
        Assert.Equal(byCase.Low, crossed.Low, 0.01);
        Assert.Equal(byCase.High, crossed.High, 0.01);
    }

    [Fact]
    public void A_crossed_table_with_empty_cells_draws_again_rather_than_divide_by_zero()
    {
        // Seed 1 scored only case A (+1), seed 2 only case B (−1): a resample drawing A twice and seed 2 twice holds
        // no pair. Such resamples are drawn again, so every value is a mean of real pairs: −1, 0 or +1.
        var d = Bootstrap.MeanDifference([1, -1], [0, 0], ["A", "B"], ["1", "2"]);
        Assert.Equal(new BootstrapInterval(0, -1, 1, 2), d);
    }

    [Theory]
    [InlineData(new double[] { 1, 2 }, new double[] { 1 }, "paired samples of 2 and 1 values")]
    [InlineData(new double[0], new double[0], "no pairs to resample")]
    [InlineData(new[] { 1, double.NaN }, new double[] { 1, 2 }, "a paired sample holds NaN; leave such pairs out first")]
    public void Bad_samples_are_refused(double[] a, double[] b, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Bootstrap.MeanDifference(a, b)).Message);

    [Fact]
    public void Cluster_labels_must_label_every_pair() =>
        Assert.Equal("1 cluster labels for 2 pairs",
            Assert.Throws<ArgumentException>(() => Bootstrap.MeanDifference([1, 2], [0, 0], ["a"])).Message);

    [Fact]
    public void Crossed_labels_must_label_every_pair() =>
        Assert.Equal("3 crossed labels for 2 pairs",
            Assert.Throws<ArgumentException>(() => Bootstrap.MeanDifference([1, 2], [0, 0], ["a", "b"], ["1", "2", "3"])).Message);

    // Box–Muller: one standard normal draw.
    private static double Normal(Rng rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
