namespace Pmcm.Core.Data;

/// <summary>
/// A small, explicit pseudo-random generator (xoshiro256**, seeded through SplitMix64) used by every
/// random choice of the data pipeline. Unlike <see cref="System.Random"/> its algorithm is fixed
/// across .NET versions and its state can be saved and restored, which exact training resume needs.
/// </summary>
public sealed class Rng
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15;

    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private Rng(RngState state) => (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);

    public static Rng FromState(RngState state) =>
        state.IsValid ? new Rng(state) : throw new PmcmException("random generator state is all zeros (corrupt checkpoint?)");

    /// <summary>
    /// An independent generator for one (seed, key…) combination, e.g. (augmentation seed, batch, slot):
    /// what it draws does not depend on which thread asks first or on what other streams drew.
    /// </summary>
    public static Rng ForStream(ulong seed, params ReadOnlySpan<ulong> keys)
    {
        var h = Mix(seed);
        foreach (var key in keys) h = Mix(h ^ Mix(key + GoldenGamma));
        return new Rng(h);
    }

    public RngState State => new(_s0, _s1, _s2, _s3);

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        var n = (ulong)maxExclusive;
        var high = Math.BigMul(NextUInt64(), n, out var low);
        if (low < n)
        {
            var threshold = (0 - n) % n;
            while (low < threshold) high = Math.BigMul(NextUInt64(), n, out low);
        }
        return (int)high;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0..n−1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        Shuffle(p.AsSpan());
        return p;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += GoldenGamma;
        return Finalize(x);
    }

    private static ulong Mix(ulong x) => Finalize(x + GoldenGamma);

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
