using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Cli.Reports;
using Pmcm.Learning.Inference;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm eval --model RUN|PTH --data DIR [--list L] [inference options] [--json] [--save-predictions DIR] [--report DIR]`:
/// segments every listed case by sliding windows and scores it against its label as the paper does
/// (Dice, Jaccard, HD95, ASD in voxels; mean ± std over cases; empty predictions score 0). Cases are first shrunk
/// as the run's training shrank them (its downsampling factor), and scored on that grid; optionally as an
/// HTML report (<see cref="EvalReport"/>).
/// </summary>
public static class EvalCommand
{
    public const string CsvName = "eval.csv";

    public static Command Create()
    {
        var inference = new InferenceArguments();
        var data = new Option<string>("--data") { Description = "Data folder in the community layout (<case>/mri_norm2.h5 or <case>_norm.h5)", Required = true };
        var list = new Option<string?>("--list") { Description = "Case list file, relative to DATA (default: DATA/test.list, else every case in DATA)" };
        var save = new Option<string?>("--save-predictions") { Description = "Write each predicted mask to DIR/<case>.nii.gz, on the grid it was scored on" };
        var json = CommonOptions.Json();
        var csv = new Option<string?>("--csv") { Description = "Write the per-case scores to this CSV file (default: eval.csv in the run folder, else in --save-predictions, else here; an unwritable default only warns)" };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report to DIR/index.html (settings, summary, sortable per-case table, slices with both contours)" };
        var command = new Command("eval", "Evaluate a trained model on labelled cases: Dice, Jaccard, HD95, ASD per case and mean ± std")
        {
            data, list, save, json, csv, report,
        };
        inference.AddTo(command);
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var cases = CommunityLayout.Cases(parse.GetValue(data)!, parse.GetValue(list));
            var (inferer, model) = inference.Inferer(parse);
            var evaluator = new Evaluator(inferer);
            var saveFolder = parse.GetValue(save);
            using var html = parse.GetValue(report) is { } reportFolder ? new EvalReport(reportFolder) : null;

            var scores = new List<(string Name, SegmentationScores Scores)>();
            double[]? spacing = null;
            using (var progress = new TerminalProgress(cases.Count, "cases"))
            {
                foreach (var (name, path) in cases)
                {
                    var item = LabeledCase.Load(name, path, model.Grid);
                    spacing ??= item.Image.Geometry.Spacing;
                    var scored = evaluator.Score(item);
                    scores.Add((name, scored.Scores));
                    html?.AddCase(name, item.Image, item.Label.Select(v => v != 0).ToArray(), scored.Mask.Select(v => v != 0).ToArray(), scored.Scores);
                    if (saveFolder is not null)
                        VolumeIO.Write(Path.Combine(saveFolder, name + ".nii.gz"), MaskVolume.From(scored.Mask, item.Image));
                    progress.Report(scores.Count);
                }
            }

            var metrics = new MetricsReport(scores);
            var asked = parse.GetValue(csv);
            var csvPath = Path.GetFullPath(asked ?? Path.Combine(model.RunDirectory ?? saveFolder ?? Directory.GetCurrentDirectory(), CsvName));
            // The scores are computed by now: a file that cannot be written must not lose them, so they are printed
            // first and the failure reported after (an error if --csv asked for that file, a warning otherwise).
            string? csvError = null;
            try
            {
                AtomicFile.WriteAllText(csvPath, metrics.Csv());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                csvError = $"per-case scores not written to {csvPath}: {e.Message}";
            }
            html?.Commit("Pmcm evaluation", ReportSettings(parse, inference, model, parse.GetValue(data)!, parse.GetValue(list), cases.Count), MetricSummary.Of(scores.Select(s => s.Scores).ToList()));
            if (parse.GetValue(json))
            {
                var result = new Dictionary<string, object?>
                {
                    ["model"] = model.WeightsPath,
                    ["downsample"] = model.Downsample,
                    ["standardise"] = model.Grid.Standardise,
                    ["grid_spacing"] = spacing!,
                };
                foreach (var (key, value) in metrics.Json()) result[key] = value;
                result["csv"] = csvError is null ? csvPath : null;
                Console.WriteLine(JsonSerializer.Serialize(result, Ui.Json));
                return CsvOutcome(csvError, asked is not null);
            }
            Ui.Out().Write(metrics.Table(caption: "HD95/ASD in voxels of the scored grid"));
            // Plain lines, so that long paths are never wrapped into something that cannot be copied.
            Console.WriteLine($"model: {model.WeightsPath}");
            Console.WriteLine($"scored on the training grid: downsample {model.Downsample}{(model.Grid.Standardise ? ", every image z-scored" : "")}, voxel spacing {Spacing(spacing!)} (in the input's units)");
            if (csvError is null) Console.WriteLine($"per-case scores written to {csvPath}");
            if (saveFolder is not null) Console.WriteLine($"predictions written to {Path.GetFullPath(saveFolder)}");
            if (html is not null) Console.WriteLine($"report written to {html.Page}");
            return CsvOutcome(csvError, asked is not null);
        }));
        return command;
    }

    private static int CsvOutcome(string? error, bool asked)
    {
        if (error is null) return 0;
        Console.Error.WriteLine(asked ? $"error: {error}" : $"warning: {error}; pass --csv FILE to write them elsewhere");
        return asked ? 1 : 0;
    }

    private static string Spacing(double[] spacing) => string.Join(" × ", spacing.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));

    private static IEnumerable<(string, string)> ReportSettings(ParseResult parse, InferenceArguments inference, LoadedModel model, string dataFolder, string? listPath, int cases)
    {
        yield return ("model", Path.GetFullPath(model.WeightsPath));
        yield return ("data", Path.GetFullPath(dataFolder));
        yield return ("case list", listPath ?? "default (test.list, else every case)");
        yield return ("grid", $"the run's training grid (downsample {model.Downsample}{(model.Grid.Standardise ? ", every image z-scored" : "")})");
        yield return ("cases", cases.ToString(CultureInfo.InvariantCulture));
        yield return ("window", $"patch {model.Patch}, stride {model.Stride}, {(parse.GetValue(inference.Gaussian) ? "Gaussian" : "uniform")} blending");
        yield return ("test-time augmentation", parse.GetValue(inference.Tta) ? "mirrored X, Y, Z" : "off");
        yield return ("decoders", parse.GetValue(inference.BothDecoders) ? "both, averaged" : "decoder 1");
        yield return ("largest component only", parse.GetValue(inference.Lcc) ? "yes" : "no");
        yield return ("written", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
    }
}
