using System.Globalization;
using System.Text;
using Pmcm.Core.Metrics;
using Spectre.Console;

namespace Pmcm.Cli;

/// <summary>
/// Per-case scores and their mean ± std as `metrics`, `eval` and `demo` show them: a table, a CSV and JSON, every
/// number formatted with the invariant culture. Std is the population std (ddof = 0) as numpy's; an empty
/// prediction scores 0, an empty reference leaves HD95/ASD undefined (NaN, "n/a").
/// </summary>
public sealed class MetricsReport(IReadOnlyList<(string Name, SegmentationScores Scores)> cases)
{
    public IReadOnlyList<(string Name, SegmentationScores Scores)> Cases { get; } = cases;

    public MetricSummary Summary { get; } = MetricSummary.Of(cases.Select(c => c.Scores).ToList());

    /// <summary>One row per case, then (with <paramref name="summary"/>) the mean ± std row; <paramref name="caption"/> adds to the std note.</summary>
    public Table Table(bool summary = true, string? caption = null)
    {
        var table = new Table().AddColumn("case").AddColumns(
            new TableColumn("Dice").RightAligned(), new TableColumn("Jaccard").RightAligned(),
            new TableColumn("HD95").RightAligned(), new TableColumn("ASD").RightAligned(), new TableColumn("note"));
        foreach (var (name, s) in Cases)
            table.AddRow(Markup.Escape(name), F(s.Dice), F(s.Jaccard), F(s.Hd95), F(s.Asd), Note(s));
        if (!summary) return table;
        var m = Summary;
        table.AddEmptyRow();
        table.AddRow("[bold]mean ± std[/]", Pm(m.Dice), Pm(m.Jaccard), Pm(m.Hd95), Pm(m.Asd),
            m.EmptyPredictions + m.EmptyReferences == 0 ? "" : $"{m.EmptyPredictions} empty prediction(s), {m.EmptyReferences} empty reference(s)");
        table.Caption(Markup.Escape($"{m.Cases} case(s); {(caption is null ? "" : caption + "; ")}std is the population std (ddof = 0); empty predictions score 0"));
        return table;
    }

    public string Csv()
    {
        var text = new StringBuilder("case,dice,jaccard,hd95,asd,empty_prediction,empty_reference\n");
        foreach (var (name, s) in Cases)
            text.Append(CultureInfo.InvariantCulture,
                $"{Quote(name)},{s.Dice:R},{s.Jaccard:R},{s.Hd95:R},{s.Asd:R},{Flag(s.EmptyPrediction)},{Flag(s.EmptyReference)}\n");
        return text.ToString();
    }

    /// <summary>Per-case scores, mean and std, and the empty counts, ready to serialise with <see cref="Ui.Json"/>.</summary>
    public Dictionary<string, object> Json()
    {
        var m = Summary;
        Dictionary<string, double> Pick(Func<Statistic, double> value) => new()
        {
            ["dice"] = value(m.Dice),
            ["jaccard"] = value(m.Jaccard),
            ["hd95"] = value(m.Hd95),
            ["asd"] = value(m.Asd),
        };
        return new Dictionary<string, object>
        {
            ["cases"] = Cases.Select(c => (object)new Dictionary<string, object>(CaseJson(c.Scores).Prepend(new("case", c.Name)))).ToList(),
            ["mean"] = Pick(s => s.Mean),
            ["std"] = Pick(s => s.Std),
            ["empty_predictions"] = m.EmptyPredictions,
            ["empty_references"] = m.EmptyReferences,
        };
    }

    public static Dictionary<string, object> CaseJson(SegmentationScores s) => new()
    {
        ["dice"] = s.Dice,
        ["jaccard"] = s.Jaccard,
        ["hd95"] = s.Hd95,
        ["asd"] = s.Asd,
        ["empty_prediction"] = s.EmptyPrediction,
        ["empty_reference"] = s.EmptyReference,
    };

    private static string Flag(bool value) => value ? "true" : "false";

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n']) < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";

    private static string Note(SegmentationScores s) =>
        s.EmptyPrediction ? "empty prediction (scored 0)" : s.EmptyReference ? "empty reference (HD95/ASD undefined)" : "";

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F4", CultureInfo.InvariantCulture);

    private static string Pm(Statistic s) => $"{F(s.Mean)} ± {F(s.Std)}";
}
