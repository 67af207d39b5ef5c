using Pmcm.Core;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Experiments;

/// <summary>How many training cases are labeled in one grid cell: a count, or every non-validation case.</summary>
public readonly record struct LabeledCount(int? Count)
{
    public static LabeledCount All => new(null);

    public override string ToString() => Count?.ToString() ?? "all";

    public static IReadOnlyList<LabeledCount> ParseList(string text) => text
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(part => part.Equals("all", StringComparison.OrdinalIgnoreCase)
            ? All
            : int.TryParse(part, out var n) && n > 0 ? new LabeledCount(n) : throw new PmcmException($"labeled count '{part}': use a positive number or 'all'"))
        .ToList();
}

/// <summary>One row of a grid's table: a method trained with a labeled count (<c>pmcm:8</c>, <c>supervised:all</c>).</summary>
public readonly record struct ExperimentGridRow(TrainingMethod Method, LabeledCount Labeled)
{
    public override string ToString() => $"{TrainingMethods.Name(Method)}:{Labeled}";

    /// <summary>Comma-separated <c>method:labeled</c> pairs; "all" labeled only for the supervised baseline.</summary>
    public static IReadOnlyList<ExperimentGridRow> ParseList(string text) => text
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(Parse)
        .ToList();

    private static ExperimentGridRow Parse(string part)
    {
        var pieces = part.Split(':');
        if (pieces.Length != 2) throw new PmcmException($"row '{part}': use method:labeled, e.g. pmcm:8 or supervised:all");
        var row = new ExperimentGridRow(TrainingMethods.Parse(pieces[0].Trim()), LabeledCount.ParseList(pieces[1]).Single());
        if (row.Labeled.Count is null && row.Method != TrainingMethod.Supervised)
            throw new PmcmException($"row '{part}': 'all' labeled applies to the supervised method only");
        return row;
    }
}

/// <summary>
/// A grid of training runs on one dataset at one scale: rows (method × labeled count) × seeds. <see cref="Template"/>
/// carries the scale (patch, filters, iterations, downsampling) shared by every run, so methods compare alike.
/// The rows are listed (issue 10's grid is not a full product) or the product of methods and labeled counts, where
/// "all" labeled is only meaningful for the supervised baseline (its upper bound).
/// </summary>
public sealed record ExperimentOptions(TrainingOptions Template, IReadOnlyList<ExperimentGridRow> Rows, IReadOnlyList<int> Seeds)
{
    /// <summary>The grid methods × labeled counts × seeds.</summary>
    public ExperimentOptions(TrainingOptions template, IReadOnlyList<TrainingMethod> methods, IReadOnlyList<LabeledCount> labeled, IReadOnlyList<int> seeds)
        : this(template, Product(methods, labeled), seeds)
    {
    }

    public string OutDirectory => Template.RunDirectory;

    public IReadOnlyList<TrainingMethod> Methods => Rows.Select(r => r.Method).Distinct().ToList();

    public IReadOnlyList<LabeledCount> Labeled => Rows.Select(r => r.Labeled).Distinct().ToList();

    public IEnumerable<ExperimentCell> Cells() =>
        from row in Rows
        from seed in Seeds
        select new ExperimentCell(row.Method, row.Labeled, seed);

    private static IReadOnlyList<ExperimentGridRow> Product(IReadOnlyList<TrainingMethod> methods, IReadOnlyList<LabeledCount> labeled) =>
        (from method in methods
         from count in labeled
         where count.Count is not null || method == TrainingMethod.Supervised
         select new ExperimentGridRow(method, count)).ToList();
}

/// <summary>One run of the grid; its folder name identifies it so finished runs are found again.</summary>
public readonly record struct ExperimentCell(TrainingMethod Method, LabeledCount Labeled, int Seed)
{
    public string Name => $"{TrainingMethods.Name(Method)}-labeled{Labeled}-seed{Seed}";
}
