using System.Globalization;
using System.Text;
using Pmcm.Core.Metrics;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// What a grid's finished cells say: the table (<see cref="ExperimentRow"/>, also <c>results.csv</c>), the paired
/// comparisons with bootstrap intervals, every row's validation curve, and what the logged terms of the PMCM rows
/// did over training. Missing cells are listed, not fatal: the report covers what exists.
/// <see cref="LargestComponent"/> is the same report with every prediction cut to its largest connected component
/// (the reference's <c>--nms</c>), when every finished cell kept those scores; <see cref="WithoutLargestComponent"/>
/// names the cells that did not.
/// </summary>
public sealed record ExperimentReport(
    GridResults Grid,
    IReadOnlyList<ExperimentRow> Rows,
    IReadOnlyList<PairedComparison> Comparisons,
    IReadOnlyList<ValidationCurve> Curves,
    IReadOnlyList<LossQuarters> Dynamics,
    PairedBootstrap Bootstrap)
{
    public const string CsvName = "results.csv";

    public ExperimentReport? LargestComponent { get; init; }

    public IReadOnlyList<string> WithoutLargestComponent { get; init; } = [];

    private static readonly string Pmcm = TrainingMethods.Name(TrainingMethod.Pmcm);
    private static readonly string Supervised = TrainingMethods.Name(TrainingMethod.Supervised);

    /// <param name="bootstrap">How the comparisons' intervals are drawn; by default 10 000 resamples at a fixed seed.</param>
    public static ExperimentReport Of(GridResults grid, PairedBootstrap? bootstrap = null)
    {
        bootstrap ??= new PairedBootstrap();
        var cells = grid.Finished;
        var dynamics = cells.Where(c => c.Result.Method == Pmcm).GroupBy(c => c.Result.Labeled)
            .Select(g => LossQuarters.Of(g.ToList())).OfType<LossQuarters>().ToList();
        var largest = cells.Select(c => c.Result.OnLargestComponent() is { } r ? c with { Result = r } : null).ToList();
        return new ExperimentReport(grid, ExperimentRow.Of(cells), PairedComparison.Of(cells, bootstrap),
            ValidationCurve.Of(cells), dynamics, bootstrap)
        {
            // Only all or nothing: rows scored partly one way and partly the other would compare nothing.
            LargestComponent = largest.Count > 0 && largest.All(c => c is not null) ? Of(grid with { Finished = largest! }, bootstrap) : null,
            WithoutLargestComponent = cells.Where((_, i) => largest[i] is null).Select(c => c.Cell.Name).ToList(),
        };
    }

    /// <summary>
    /// The share of the Dice gap between the supervised baseline at a comparison's labeled count and supervised
    /// training with every case labeled that the method closes, (method − baseline) / (all − baseline), from the
    /// rows' means over seeds; null for other comparisons or when a row is missing. Above 0.5 the method is closer
    /// to the fully supervised bound than to its baseline.
    /// </summary>
    public double? GapClosed(PairedComparison comparison)
    {
        if (comparison.Baseline != Supervised || comparison.Labeled == LabeledCount.All.ToString()) return null;
        double? Dice(string method, string labeled) => Rows.FirstOrDefault(r => r.Method == method && r.Labeled == labeled)?.Dice.Mean;
        if (Dice(comparison.Method, comparison.Labeled) is not { } mine || Dice(Supervised, comparison.Labeled) is not { } baseline
            || Dice(Supervised, LabeledCount.All.ToString()) is not { } bound || bound == baseline) return null;
        return (mine - baseline) / (bound - baseline);
    }

    /// <summary>
    /// The table as CSV: scores as fractions / voxels, std over seeds (ddof = 1, NaN with one seed); the <c>lcc_</c>
    /// columns are the same on each prediction's largest connected component, empty without <see cref="LargestComponent"/>.
    /// </summary>
    public string Csv()
    {
        var text = new StringBuilder("method,labeled,dice_mean,dice_std,jaccard_mean,jaccard_std,hd95_mean,hd95_std,asd_mean,asd_std,seeds,cases,empty_predictions,iterations,minutes_per_run,lcc_dice_mean,lcc_dice_std,lcc_hd95_mean,lcc_hd95_std\n");
        for (var i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            // Both reports group the same cells the same way, so their rows line up.
            var l = LargestComponent?.Rows[i];
            text.AppendLine(string.Join(",", r.Method, r.LabeledCases, F(r.Dice.Mean, 6), F(r.Dice.Std, 6), F(r.Jaccard.Mean, 6), F(r.Jaccard.Std, 6),
                F(r.Hd95.Mean, 4), F(r.Hd95.Std, 4), F(r.Asd.Mean, 4), F(r.Asd.Std, 4), r.Seeds.Count, r.Cases, r.EmptyPredictions,
                string.Join(' ', r.Iterations), F(r.MinutesPerRun, 2),
                l is null ? "" : F(l.Dice.Mean, 6), l is null ? "" : F(l.Dice.Std, 6), l is null ? "" : F(l.Hd95.Mean, 4), l is null ? "" : F(l.Hd95.Std, 4)));
        }
        return text.ToString();
    }

    private static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);
}
