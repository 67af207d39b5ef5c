using Pmcm.Core.Data;

namespace Pmcm.Core.Tests.Data;

public class RngTests
{
    [Fact]
    public void Same_seed_gives_same_sequence_and_different_seeds_differ()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        var c = new Rng(43);
        var sa = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()));
        Assert.NotEqual(sa, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void Restored_state_continues_identically()
    {
        var rng = new Rng(7);
        for (var i = 0; i < 13; i++) rng.NextInt(5);
        var saved = rng.State;
        var expected = Enumerable.Range(0, 50).Select(_ => rng.NextInt(1000)).ToArray();
        var restored = Rng.FromState(saved);
        Assert.Equal(expected, Enumerable.Range(0, 50).Select(_ => restored.NextInt(1000)));
    }

    [Fact]
    public void All_zero_state_is_refused()
    {
        Assert.Throws<PmcmException>(() => Rng.FromState(new RngState(0, 0, 0, 0)));
    }

    [Fact]
    public void NextInt_is_in_range_and_roughly_uniform()
    {
        var rng = new Rng(1);
        var counts = new int[6];
        const int Draws = 60_000;
        for (var i = 0; i < Draws; i++) counts[rng.NextInt(6)]++;
        // Each bucket expects 10 000; 5 standard deviations is ±456.
        Assert.All(counts, n => Assert.InRange(n, 9_544, 10_456));
    }

    [Fact]
    public void NextDouble_is_in_unit_interval_with_mean_one_half()
    {
        var rng = new Rng(3);
        var values = Enumerable.Range(0, 20_000).Select(_ => rng.NextDouble()).ToArray();
        Assert.All(values, v => Assert.InRange(v, 0.0, 1.0 - 1e-17));
        Assert.InRange(values.Average(), 0.49, 0.51);
    }

    [Fact]
    public void Permutation_contains_every_index_once()
    {
        var p = new Rng(9).Permutation(100);
        Assert.Equal(Enumerable.Range(0, 100), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), p);
    }

    [Fact]
    public void Keyed_streams_are_reproducible_and_distinct()
    {
        var a = Rng.ForStream(1337, 5, 0).NextUInt64();
        Assert.Equal(a, Rng.ForStream(1337, 5, 0).NextUInt64());
        Assert.NotEqual(a, Rng.ForStream(1337, 5, 1).NextUInt64());
        Assert.NotEqual(a, Rng.ForStream(1337, 0, 5).NextUInt64());
        Assert.NotEqual(a, Rng.ForStream(1338, 5, 0).NextUInt64());
    }
}
