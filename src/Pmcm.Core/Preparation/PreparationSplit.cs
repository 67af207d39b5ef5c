using Pmcm.Core.Data;

namespace Pmcm.Core.Preparation;

/// <summary>The train and test lists of a prepared dataset (<see cref="PreparationSplitOptions"/>).</summary>
public sealed record PreparationSplit(IReadOnlyList<string> Train, IReadOnlyList<string> Test)
{
    /// <summary>
    /// Splits <paramref name="cases"/> (in input order). A seeded split takes round(fraction · n) test cases,
    /// chosen by a permutation of the seed's generator and listed in input order; a test list keeps its own
    /// order and only the cases it names that were prepared.
    /// </summary>
    public static PreparationSplit Create(IReadOnlyList<string> cases, PreparationSplitOptions options)
    {
        if (options.TestList is { } named)
        {
            var wanted = new HashSet<string>(named, StringComparer.Ordinal);
            var present = new HashSet<string>(cases, StringComparer.Ordinal);
            return new PreparationSplit(cases.Where(c => !wanted.Contains(c)).ToList(), named.Where(present.Contains).Distinct().ToList());
        }
        if (!(options.TestFraction >= 0 && options.TestFraction < 1))
            throw new PmcmException($"--test-fraction {options.TestFraction} must be in [0, 1)");
        var count = (int)Math.Round(options.TestFraction * cases.Count, MidpointRounding.AwayFromZero);
        var chosen = new Rng((ulong)options.Seed).Permutation(cases.Count).Take(count).ToHashSet();
        return new PreparationSplit(
            cases.Where((_, i) => !chosen.Contains(i)).ToList(),
            cases.Where((_, i) => chosen.Contains(i)).ToList());
    }
}
