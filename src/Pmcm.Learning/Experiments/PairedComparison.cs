using System.Globalization;
using Pmcm.Core.Metrics;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// One method against a baseline at the same labeled count, pair by pair: a pair is the two runs of the same seed
/// scored on the same validation case. <see cref="Dice"/> and <see cref="Hd95"/> are mean differences
/// (method − baseline; Dice as a fraction, HD95 in voxels) and <see cref="Hd95Ratio"/> is mean HD95 of the method
/// over the baseline's, each with its <see cref="PairedBootstrap"/> interval over the validation cases: a case's pairs
/// under different seeds share its difficulty, so the bootstrap draws cases and each drawn case brings all its
/// pairs. Pairs whose HD95 is undefined (an empty reference) are left out of the HD95 statistics, which are null
/// when no pair is left.
/// <see cref="Hd95RatioBothFound"/> is the ratio over the <see cref="PairsBothFound"/> pairs where neither method
/// predicted an empty mask: an empty prediction scores HD95 0 by the reference's convention, which would make the
/// method that misses a structure look better at boundaries.
/// <see cref="DiceOverSeeds"/> and <see cref="Hd95RatioOverSeeds"/> are the same statistics with an interval that
/// draws the seeds as well as the cases (the crossed bootstrap), so it also holds how far one training run lands
/// from another; null with one seed, where there is no run-to-run spread to draw from.
/// </summary>
public sealed record PairedComparison(
    string Method,
    string Baseline,
    string Labeled,
    int Seeds,
    int Cases,
    BootstrapInterval Dice,
    BootstrapInterval? Hd95,
    BootstrapInterval? Hd95Ratio,
    BootstrapInterval? Hd95RatioBothFound,
    int PairsBothFound,
    BootstrapInterval? DiceOverSeeds,
    BootstrapInterval? Hd95RatioOverSeeds)
{
    /// <summary>The methods a full PMCM is compared with, besides the supervised baseline: its ablations.</summary>
    private static readonly string[] Ablations = [TrainingMethods.Name(TrainingMethod.PmcmNoPml), TrainingMethods.Name(TrainingMethod.PmcmNoCml), TrainingMethods.Name(TrainingMethod.PmcmSupervisedTerms)];

    private static readonly string Supervised = TrainingMethods.Name(TrainingMethod.Supervised);
    private static readonly string Pmcm = TrainingMethods.Name(TrainingMethod.Pmcm);

    /// <summary>
    /// Every method other than the supervised baseline against the baseline with its labeled count, then PMCM
    /// against each ablation with the same labeled count; a comparison with no common (seed, case) pair is skipped.
    /// </summary>
    public static IReadOnlyList<PairedComparison> Of(IReadOnlyList<FinishedCell> cells, PairedBootstrap bootstrap)
    {
        var rows = cells.GroupBy(c => (c.Result.Method, c.Result.Labeled)).Select(g => g.Key).ToList();
        var pairs = rows.Where(r => r.Method != Supervised).Select(r => (r.Method, Baseline: Supervised, r.Labeled))
            .Concat(rows.Where(r => Ablations.Contains(r.Method)).Select(r => (Method: Pmcm, Baseline: r.Method, r.Labeled)));
        return pairs.Select(p => Between(p.Method, Results(cells, p.Method, p.Labeled), p.Baseline, Results(cells, p.Baseline, p.Labeled), p.Labeled, bootstrap))
            .OfType<PairedComparison>().ToList();
    }

    /// <summary>
    /// The runs of one row against those of another, paired by seed and validation case, wherever the runs come from
    /// (two rows of one grid, or rows of two grids, as <c>pmcm compare</c> pairs them); null with no common pair.
    /// </summary>
    public static PairedComparison? Between(string method, IEnumerable<ExperimentResult> mineRuns, string baseline, IEnumerable<ExperimentResult> theirRuns,
        string labeled, PairedBootstrap bootstrap)
    {
        var mine = Scores(mineRuns);
        var theirs = Scores(theirRuns);
        // Sorted, so the bootstrap sees the pairs in one order whatever order the files listed them in.
        var matched = mine.Keys.Where(theirs.ContainsKey).OrderBy(k => k.Seed).ThenBy(k => k.Case, StringComparer.Ordinal).Select(k => (Key: k, A: mine[k], B: theirs[k])).ToList();
        if (matched.Count == 0) return null;
        var seeds = matched.Select(m => m.Key.Seed).Distinct().Count();
        var (diceA, diceB) = (matched.Select(m => m.A.Dice).ToList(), matched.Select(m => m.B.Dice).ToList());
        var dice = bootstrap.MeanDifference(diceA, diceB, CasesOf(matched));
        var diceOverSeeds = seeds > 1 ? bootstrap.MeanDifference(diceA, diceB, CasesOf(matched), SeedsOf(matched)) : (BootstrapInterval?)null;
        var defined = matched.Where(m => !double.IsNaN(m.A.Hd95) && !double.IsNaN(m.B.Hd95)).ToList();
        BootstrapInterval? hd95 = null, ratio = null, ratioBothFound = null, ratioOverSeeds = null;
        if (defined.Count > 0)
        {
            var (a, b) = (defined.Select(m => m.A.Hd95).ToList(), defined.Select(m => m.B.Hd95).ToList());
            hd95 = bootstrap.MeanDifference(a, b, CasesOf(defined));
            ratio = bootstrap.RatioOfMeans(a, b, CasesOf(defined));
            if (seeds > 1) ratioOverSeeds = bootstrap.RatioOfMeans(a, b, CasesOf(defined), SeedsOf(defined));
        }
        var found = defined.Where(m => !m.A.EmptyPrediction && !m.B.EmptyPrediction).ToList();
        if (found.Count > 0)
            ratioBothFound = bootstrap.RatioOfMeans(found.Select(m => m.A.Hd95).ToList(), found.Select(m => m.B.Hd95).ToList(), CasesOf(found));
        return new PairedComparison(method, baseline, labeled, seeds, matched.Select(m => m.Key.Case).Distinct().Count(),
            dice, hd95, ratio, ratioBothFound, found.Count, diceOverSeeds, ratioOverSeeds);
    }

    private static List<string> CasesOf(IEnumerable<((int Seed, string Case) Key, SegmentationScores A, SegmentationScores B)> pairs) =>
        pairs.Select(p => p.Key.Case).ToList();

    private static List<string> SeedsOf(IEnumerable<((int Seed, string Case) Key, SegmentationScores A, SegmentationScores B)> pairs) =>
        pairs.Select(p => p.Key.Seed.ToString(CultureInfo.InvariantCulture)).ToList();

    private static IEnumerable<ExperimentResult> Results(IReadOnlyList<FinishedCell> cells, string method, string labeled) =>
        cells.Where(c => c.Result.Method == method && c.Result.Labeled == labeled).Select(c => c.Result);

    // One row's per-case scores keyed by (seed, case).
    private static Dictionary<(int Seed, string Case), SegmentationScores> Scores(IEnumerable<ExperimentResult> runs)
    {
        var scores = new Dictionary<(int, string), SegmentationScores>();
        foreach (var run in runs)
            for (var i = 0; i < run.Cases.Count; i++)
                scores[(run.Seed, run.Cases[i])] = run.Scores[i];
        return scores;
    }
}
