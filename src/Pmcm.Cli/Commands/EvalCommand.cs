using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Core.Volumes;
using Pmcm.Cli.Reports;
using Pmcm.Learning.Inference;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm eval --model RUN|PTH --data DIR [--list L] [inference options] [--json] [--save-predictions DIR] [--report DIR]`:
/// segments every listed case by sliding windows and scores it against its label as the paper does
/// (Dice, Jaccard, HD95, ASD in voxels; mean ± std over cases; empty predictions score 0), optionally as an
/// HTML report (<see cref="EvalReport"/>).
/// </summary>
public static class EvalCommand
{
    public const string CsvName = "eval.csv";

    public static Command Create()
    {
        var inference = new InferenceArguments();
        var data = new Option<string>("--data") { Description = "Data folder in the community layout (<case>/mri_norm2.h5 or <case>_norm.h5)", Required = true };
        var list = new Option<string?>("--list") { Description = "Case list file (default: DATA/test.list, else every case in DATA)" };
        var save = new Option<string?>("--save-predictions") { Description = "Write each predicted mask to DIR/<case>.nii.gz" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report to DIR/index.html (settings, summary, sortable per-case table, slices with both contours)" };
        var command = new Command("eval", "Evaluate a trained model on labelled cases: Dice, Jaccard, HD95, ASD per case and mean ± std")
        {
            data, list, save, json, report,
        };
        inference.AddTo(command);
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var cases = CommunityLayout.Cases(parse.GetValue(data)!, parse.GetValue(list));
            var (inferer, model) = inference.Inferer(parse);
            var saveFolder = parse.GetValue(save);
            using var html = parse.GetValue(report) is { } reportFolder ? new EvalReport(reportFolder) : null;

            var scores = new List<(string Name, SegmentationScores Scores)>();
            using (var progress = new TerminalProgress(cases.Count, "cases"))
            {
                foreach (var (name, path) in cases)
                {
                    var item = H5Case.Read(path);
                    if (item.Label is null) throw new PmcmException($"{path}: no '{H5Case.LabelName}' dataset to score against");
                    var result = inferer.Segment(item.Image);
                    var prediction = new bool[result.Mask.Length];
                    for (var i = 0; i < prediction.Length; i++) prediction[i] = result.Mask[i] != 0;
                    var reference = item.Label.ToMask();
                    scores.Add((name, SegmentationMetrics.Compute(prediction, reference, item.Image.Shape)));
                    html?.AddCase(name, item.Image, reference, prediction, scores[^1].Scores);
                    if (saveFolder is not null)
                        VolumeIO.Write(Path.Combine(saveFolder, name + ".nii.gz"), MaskVolume.From(result.Mask, item.Image));
                    progress.Report(scores.Count);
                }
            }

            var csvPath = Path.GetFullPath(Path.Combine(model.RunDirectory ?? saveFolder ?? Directory.GetCurrentDirectory(), CsvName));
            AtomicFile.WriteAllText(csvPath, Csv(scores));
            var summary = MetricSummary.Of(scores.Select(s => s.Scores).ToList());
            html?.Commit("Pmcm evaluation", ReportSettings(parse, inference, model, parse.GetValue(data)!, parse.GetValue(list), cases.Count), summary);
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json(scores, summary, model.WeightsPath, csvPath));
                return 0;
            }
            Ui.Out().Write(Table(scores, summary));
            // Plain lines, so that long paths are never wrapped into something that cannot be copied.
            Console.WriteLine($"model: {model.WeightsPath}");
            Console.WriteLine($"per-case scores written to {csvPath}");
            if (saveFolder is not null) Console.WriteLine($"predictions written to {Path.GetFullPath(saveFolder)}");
            if (html is not null) Console.WriteLine($"report written to {html.Page}");
            return 0;
        }));
        return command;
    }

    private static IEnumerable<(string, string)> ReportSettings(ParseResult parse, InferenceArguments inference, LoadedModel model, string dataFolder, string? listPath, int cases)
    {
        yield return ("model", Path.GetFullPath(model.WeightsPath));
        yield return ("data", Path.GetFullPath(dataFolder));
        yield return ("case list", listPath is not null ? Path.GetFullPath(listPath) : "default (test.list, else every case)");
        yield return ("cases", cases.ToString(CultureInfo.InvariantCulture));
        yield return ("window", $"patch {model.Patch}, stride {model.Stride}, {(parse.GetValue(inference.Gaussian) ? "Gaussian" : "uniform")} blending");
        yield return ("test-time augmentation", parse.GetValue(inference.Tta) ? "mirrored X, Y, Z" : "off");
        yield return ("decoders", parse.GetValue(inference.BothDecoders) ? "both, averaged" : "decoder 1");
        yield return ("largest component only", parse.GetValue(inference.Lcc) ? "yes" : "no");
        yield return ("written", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
    }

    private static string Json(List<(string Name, SegmentationScores Scores)> scores, MetricSummary summary, string weights, string csvPath)
    {
        Dictionary<string, double> Pick(Func<Statistic, double> value) => new()
        {
            ["dice"] = value(summary.Dice),
            ["jaccard"] = value(summary.Jaccard),
            ["hd95"] = value(summary.Hd95),
            ["asd"] = value(summary.Asd),
        };
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = weights,
            ["cases"] = scores.Select(s => new Dictionary<string, object>
            {
                ["case"] = s.Name,
                ["dice"] = s.Scores.Dice,
                ["jaccard"] = s.Scores.Jaccard,
                ["hd95"] = s.Scores.Hd95,
                ["asd"] = s.Scores.Asd,
                ["empty_prediction"] = s.Scores.EmptyPrediction,
            }).ToList(),
            ["mean"] = Pick(s => s.Mean),
            ["std"] = Pick(s => s.Std),
            ["empty_predictions"] = summary.EmptyPredictions,
            ["csv"] = csvPath,
        }, Ui.Json);
    }

    private static string Csv(List<(string Name, SegmentationScores Scores)> scores)
    {
        var text = new StringBuilder("case,dice,jaccard,hd95,asd,empty_prediction\n");
        foreach (var (name, s) in scores)
            text.Append(CultureInfo.InvariantCulture, $"{name},{s.Dice:R},{s.Jaccard:R},{s.Hd95:R},{s.Asd:R},{(s.EmptyPrediction ? "true" : "false")}\n");
        return text.ToString();
    }

    private static Table Table(List<(string Name, SegmentationScores Scores)> scores, MetricSummary summary)
    {
        var table = new Table().AddColumn("case").AddColumns(
            new TableColumn("Dice").RightAligned(), new TableColumn("Jaccard").RightAligned(),
            new TableColumn("HD95").RightAligned(), new TableColumn("ASD").RightAligned(), new TableColumn("note"));
        foreach (var (name, s) in scores)
            table.AddRow(Markup.Escape(name), F(s.Dice), F(s.Jaccard), F(s.Hd95), F(s.Asd), s.EmptyPrediction ? "empty prediction (scored 0)" : "");
        table.AddEmptyRow();
        table.AddRow("[bold]mean ± std[/]", Pm(summary.Dice), Pm(summary.Jaccard), Pm(summary.Hd95), Pm(summary.Asd),
            $"{summary.EmptyPredictions} empty prediction(s)");
        table.Caption($"{summary.Cases} case(s); HD95/ASD in voxels; std is the population std (ddof = 0)");
        return table;
    }

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F4", CultureInfo.InvariantCulture);

    private static string Pm(Statistic s) => $"{F(s.Mean)} ± {F(s.Std)}";
}
