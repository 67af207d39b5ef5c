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

/// <summary>
/// A grid of training runs on one dataset at one scale: methods × labeled counts × seeds. <see cref="Template"/>
/// carries the scale (patch, filters, iterations, downsampling) shared by every run, so methods compare alike.
/// "all" labeled is only meaningful for the supervised baseline (its upper bound).
/// </summary>
public sealed record ExperimentOptions(
    TrainingOptions Template,
    IReadOnlyList<TrainingMethod> Methods,
    IReadOnlyList<LabeledCount> Labeled,
    IReadOnlyList<int> Seeds)
{
    public string OutDirectory => Template.RunDirectory;

    public IEnumerable<ExperimentCell> Cells() =>
        from method in Methods
        from labeled in Labeled
        where labeled.Count is not null || method == TrainingMethod.Supervised
        from seed in Seeds
        select new ExperimentCell(method, labeled, seed);
}

/// <summary>One run of the grid; its folder name identifies it so finished runs are found again.</summary>
public readonly record struct ExperimentCell(TrainingMethod Method, LabeledCount Labeled, int Seed)
{
    public string Name => $"{TrainingMethods.Name(Method)}-labeled{Labeled}-seed{Seed}";
}
