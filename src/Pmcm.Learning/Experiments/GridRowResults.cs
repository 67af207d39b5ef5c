using System.Text.Json.Nodes;
using Pmcm.Core;
using Pmcm.Core.Runs;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// The finished runs of one row of a grid folder, seed by seed, with the run record of the first: what
/// <c>pmcm compare</c> pairs across grids (a variant's grid against the main one, say) without retraining anything.
/// </summary>
public sealed record GridRowResults(string Folder, ExperimentGridRow Row, IReadOnlyList<ExperimentResult> Runs, IReadOnlyList<int> MissingSeeds, RunRecord? Record)
{
    /// <summary>
    /// Reads the row's cells for <paramref name="seeds"/> (null: every seed with a cell folder); a row with no finished
    /// cell at all is an error naming the cells looked for.
    /// </summary>
    public static GridRowResults Read(string folder, ExperimentGridRow row, IReadOnlyList<int>? seeds = null)
    {
        if (!Directory.Exists(folder)) throw new PmcmException($"{folder}: no such grid folder");
        seeds ??= SeedsIn(folder, row);
        if (seeds.Count == 0) throw new PmcmException($"{folder}: row {row} has no finished cell (no folder named {CellPrefix(row)}<seed>)");
        var cells = seeds.Select(seed => new ExperimentCell(row.Method, row.Labeled, seed)).ToList();
        var finished = cells.Where(c => File.Exists(ResultPath(folder, c))).ToList();
        if (finished.Count == 0)
            throw new PmcmException($"{folder}: row {row} has no finished cell (looked for {string.Join(", ", cells.Select(c => Path.Combine(c.Name, ExperimentRunner.ResultFile)))})");
        var runs = finished.Select(c => ExperimentRunner.Read(ResultPath(folder, c), "delete it and run `pmcm experiment` on that grid to redo the cell")).ToList();
        var first = Path.Combine(folder, finished[0].Name);
        var files = new RunFiles(first);
        var record = files.HasRecord ? RunRecord.ReadFolder(first) : null;
        return new GridRowResults(folder, row, runs, cells.Except(finished).Select(c => c.Seed).ToList(), record);
    }

    /// <summary>The row with the scores of <paramref name="cases"/> left out of every run.</summary>
    public GridRowResults Without(IReadOnlySet<string> cases) => this with { Runs = Runs.Select(r => r.Without(cases)).ToList() };

    /// <summary>
    /// The row with each run scored on its predictions' largest connected components; an error naming the runs
    /// that kept no such scores.
    /// </summary>
    public GridRowResults OnLargestComponent()
    {
        var lacking = Runs.Where(r => r.LargestComponentScores is null).Select(r => new ExperimentCell(Row.Method, Row.Labeled, r.Seed).Name).ToList();
        if (lacking.Count > 0)
            throw new PmcmException($"{Folder}: {string.Join(", ", lacking)} kept no largest-component scores (a {ExperimentRunner.ResultFile} from before they were); `pmcm experiment --collect` on that grid adds them");
        return this with { Runs = Runs.Select(r => r.OnLargestComponent()!).ToList() };
    }

    /// <summary>The settings the two rows' runs differ in, besides those that name a cell (method, labeled count, seed, split) or only place it (device, threads).</summary>
    public IReadOnlyList<(string Setting, string Mine, string Theirs)> SettingsDifferentFrom(GridRowResults other)
    {
        if (Record is null || other.Record is null) return [];
        var (mine, theirs) = (Record.ToJson(), other.Record.ToJson());
        return mine.Select(p => p.Key).Union(theirs.Select(p => p.Key)).Where(k => !CellSettings.Contains(k)).Order(StringComparer.Ordinal)
            .Where(k => !JsonNode.DeepEquals(mine[k], theirs[k]))
            .Select(k => (k, mine[k]?.ToJsonString() ?? "unset", theirs[k]?.ToJsonString() ?? "unset"))
            .ToList();
    }

    // Cell folders are named method-labeledN-seedS (ExperimentCell.Name).
    private static List<int> SeedsIn(string folder, ExperimentGridRow row)
    {
        var prefix = CellPrefix(row);
        return Directory.EnumerateDirectories(folder).Select(Path.GetFileName)
            .Select(name => name!.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(name[prefix.Length..], out var seed) ? seed : (int?)null)
            .OfType<int>().Order().ToList();
    }

    private static string CellPrefix(ExperimentGridRow row) => new ExperimentCell(row.Method, row.Labeled, 0).Name[..^1];

    private static readonly HashSet<string> CellSettings = ["method", "labeled", "seed", "split", "device", "threads", "ramp_iterations_per_step"];

    private static string ResultPath(string folder, ExperimentCell cell) => Path.Combine(folder, cell.Name, ExperimentRunner.ResultFile);
}
