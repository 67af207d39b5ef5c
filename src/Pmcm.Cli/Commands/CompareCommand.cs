using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Cli.Reports;
using Pmcm.Core.Metrics;
using Pmcm.Learning.Experiments;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm compare --grid DIR --row M:L [--baseline-grid DIR] --baseline-row M:L [--seeds …] [--json]`: one row of a grid
/// against another row, of the same grid or of another (a variant trained with other settings), paired by seed and
/// validation case with the experiment report's bootstrap intervals. `--without-cases` leaves validation cases out
/// (by name or a unique start of one), to ask how much of a difference one case carries; `--lcc` pairs the scores of
/// each prediction's largest connected component. Nothing is trained or scored again.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var grid = new Option<string>("--grid") { Description = "Grid folder (pmcm experiment --out) holding the row to compare", Required = true };
        var row = new Option<string>("--row") { Description = "The row to compare, method:labeled (e.g. pmcm:8)", Required = true };
        var baselineGrid = new Option<string?>("--baseline-grid") { Description = "Grid folder holding the baseline row (default: --grid)" };
        var baselineRow = new Option<string>("--baseline-row") { Description = "The baseline row, method:labeled (e.g. supervised:8)", Required = true };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds (default: every seed either row has a cell folder for)" };
        var without = new Option<string?>("--without-cases") { Description = "Comma-separated validation cases to leave out, each its name or a start of it that names one case (e.g. RSZY)" };
        var lcc = new Option<bool>("--lcc") { Description = "Pair the scores of each prediction's largest connected component (the reference's --nms), kept in result.json" };
        var json = CommonOptions.Json();
        var command = new Command("compare", "Pair one grid row's validation scores with another's, across grids, with bootstrap intervals")
        {
            grid, row, baselineGrid, baselineRow, seeds, without, lcc, json,
        };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var seedList = parse.GetValue(seeds) is { } text ? ParseSeeds(text) : null;
            var mine = GridRowResults.Read(parse.GetValue(grid)!, ParseRow(parse.GetValue(row)!, row.Name), seedList);
            var theirs = GridRowResults.Read(parse.GetValue(baselineGrid) ?? parse.GetValue(grid)!, ParseRow(parse.GetValue(baselineRow)!, baselineRow.Name), seedList);
            var largest = parse.GetValue(lcc);
            if (largest) (mine, theirs) = (mine.OnLargestComponent(), theirs.OnLargestComponent());
            var leftOut = parse.GetValue(without) is { } names ? CasesNamed(names, mine, theirs) : [];
            if (leftOut.Count > 0) (mine, theirs) = (mine.Without(leftOut), theirs.Without(leftOut));
            var comparison = PairedComparison.Between(mine.Row.ToString(), mine.Runs, theirs.Row.ToString(), theirs.Runs, mine.Row.Labeled.ToString(), new PairedBootstrap())
                ?? throw new PmcmException($"{mine.Row} (seeds {Seeds(mine)}) and {theirs.Row} (seeds {Seeds(theirs)}) share no seed and validation case to pair");
            var differences = mine.SettingsDifferentFrom(theirs);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(Json(mine, theirs, comparison, differences, leftOut, largest), Ui.Json));
            else Print(mine, theirs, comparison, differences, leftOut, largest);
            return 0;
        }));
        return command;
    }

    private static ExperimentGridRow ParseRow(string text, string option)
    {
        IReadOnlyList<ExperimentGridRow> rows;
        try
        {
            rows = ExperimentGridRow.ParseList(text);
        }
        catch (PmcmException e)
        {
            throw new PmcmException($"{option}: {e.Message}");
        }
        return rows.Count == 1 ? rows[0] : throw new PmcmException($"{option} '{text}': give one row, method:labeled");
    }

    /// <summary>The validation cases <paramref name="text"/> names, each by its name or a start that fits one case only.</summary>
    private static SortedSet<string> CasesNamed(string text, GridRowResults mine, GridRowResults theirs)
    {
        var known = mine.Runs.Concat(theirs.Runs).SelectMany(r => r.Cases).ToHashSet();
        var named = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var given in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var matches = known.Contains(given) ? [given] : known.Where(c => c.StartsWith(given, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            if (matches.Count == 0)
                throw new PmcmException($"--without-cases: '{given}' is no validation case of these rows ({string.Join(", ", known.Order(StringComparer.Ordinal))})");
            if (matches.Count > 1)
                throw new PmcmException($"--without-cases: '{given}' starts several validation cases ({string.Join(", ", matches)}); give more of the name");
            named.Add(matches[0]);
        }
        return named;
    }

    private static List<int> ParseSeeds(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : throw new PmcmException($"--seeds: '{s}' is not an integer")).ToList();

    private static string Seeds(GridRowResults r) => string.Join(",", r.Runs.Select(x => x.Seed));

    private static void Print(GridRowResults mine, GridRowResults theirs, PairedComparison c, IReadOnlyList<(string Setting, string Mine, string Theirs)> differences,
        IReadOnlyCollection<string> leftOut, bool largest)
    {
        var console = Ui.Out();
        console.MarkupLine(Markup.Escape($"{mine.Row} ({mine.Folder}, seeds {Seeds(mine)}) against {theirs.Row} ({theirs.Folder}, seeds {Seeds(theirs)})"));
        console.MarkupLine(Markup.Escape($"paired over {c.Seeds} seed{(c.Seeds == 1 ? "" : "s")} × {c.Cases} validation cases; 95 % bootstrap intervals over cases"
            + (c.Seeds > 1 ? ", and over seeds and cases (the run-to-run spread too)" : " (one seed: they leave out how far another run would land)")));
        if (largest) console.MarkupLine("scored on each prediction's largest connected component");
        if (leftOut.Count > 0) console.MarkupLine(Markup.Escape($"left out: {string.Join(", ", leftOut)}"));
        foreach (var (setting, a, b) in differences) console.MarkupLine(Markup.Escape($"settings differ: {setting} {a} against {b}"));
        foreach (var seed in mine.MissingSeeds.Concat(theirs.MissingSeeds).Distinct().Order())
            console.MarkupLine(Markup.Escape($"seed {seed} is not finished in both rows and is left out"));
        var table = new Table().AddColumns("", Markup.Escape("difference [95 % interval]"));
        table.AddRow("Dice (points)", Markup.Escape(IntervalText.Difference(c.Dice, 100, 2)));
        if (c.DiceOverSeeds is { } o) table.AddRow("Dice (points), over seeds", Markup.Escape(IntervalText.Difference(o, 100, 2)));
        table.AddRow("HD95 (voxels)", Markup.Escape(c.Hd95 is { } h ? IntervalText.Difference(h, 1, 2) : "n/a"));
        table.AddRow("HD95 ratio", Markup.Escape(IntervalText.Ratio(c.Hd95Ratio)));
        if (c.Seeds > 1) table.AddRow("HD95 ratio, over seeds", Markup.Escape(IntervalText.Ratio(c.Hd95RatioOverSeeds)));
        table.AddRow($"HD95 ratio, both found ({c.PairsBothFound} pairs)", Markup.Escape(IntervalText.Ratio(c.Hd95RatioBothFound)));
        console.Write(table);
    }

    private static Dictionary<string, object?> Json(GridRowResults mine, GridRowResults theirs, PairedComparison c, IReadOnlyList<(string Setting, string Mine, string Theirs)> differences,
        IReadOnlyCollection<string> leftOut, bool largest) => new()
    {
        ["row"] = new Dictionary<string, object> { ["grid"] = mine.Folder, ["row"] = mine.Row.ToString(), ["seeds"] = mine.Runs.Select(r => r.Seed).ToList() },
        ["baseline"] = new Dictionary<string, object> { ["grid"] = theirs.Folder, ["row"] = theirs.Row.ToString(), ["seeds"] = theirs.Runs.Select(r => r.Seed).ToList() },
        ["paired_seeds"] = c.Seeds,
        ["cases"] = c.Cases,
        ["cases_left_out"] = leftOut,
        ["largest_component"] = largest,
        ["settings_differ"] = differences.ToDictionary(d => d.Setting, d => new[] { d.Mine, d.Theirs }),
        ["dice"] = Interval(c.Dice),
        ["hd95"] = c.Hd95 is { } h ? Interval(h) : null,
        ["hd95_ratio"] = c.Hd95Ratio is { } r ? Interval(r) : null,
        ["hd95_ratio_both_found"] = c.Hd95RatioBothFound is { } b ? Interval(b) : null,
        ["dice_over_seeds"] = c.DiceOverSeeds is { } o ? Interval(o) : null,
        ["hd95_ratio_over_seeds"] = c.Hd95RatioOverSeeds is { } s ? Interval(s) : null,
        ["pairs_both_found"] = c.PairsBothFound,
    };

    private static Dictionary<string, double> Interval(BootstrapInterval i) => new() { ["estimate"] = i.Estimate, ["low"] = i.Low, ["high"] = i.High };
}
