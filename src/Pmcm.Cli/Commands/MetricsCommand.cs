using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Pmcm.Core.Metrics;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm metrics --pred P --gt G [--spacing sx,sy,sz] [--json] [--csv OUT]`: Dice, Jaccard, HD95, ASD as medpy
/// computes them, for one pair of files or for two folders of files matched by name (then also mean ± std).
/// </summary>
public static class MetricsCommand
{
    private static readonly string[] VolumeExtensions = [".nii.gz", ".nii", ".nrrd", ".nhdr", ".h5", ".hdf5"];

    public static Command Create()
    {
        var pred = new Option<string>("--pred") { Description = "Predicted label file, or a folder of them", Required = true };
        var gt = new Option<string>("--gt") { Description = "Ground-truth label file, or a folder with files of the same names", Required = true };
        var spacing = new Option<string?>("--spacing") { Description = "Voxel spacing sx,sy,sz for HD95/ASD (default: 1, distances in voxels as the paper reports)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var csv = new Option<string?>("--csv") { Description = "Also write the per-case scores to this CSV file" };
        var command = new Command("metrics", "Dice, Jaccard, HD95 and ASD of predicted masks against ground truth (foreground = value > 0)")
        {
            pred, gt, spacing, json, csv,
        };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var predPath = parse.GetValue(pred)!;
            var gtPath = parse.GetValue(gt)!;
            var voxelSpacing = ParseSpacing(parse.GetValue(spacing));
            var pairs = Pairs(predPath, gtPath);
            var scores = pairs.Select(p => (p.Name, Scores: Score(p.Pred, p.Gt, voxelSpacing))).ToList();
            var folderMode = Directory.Exists(predPath);

            if (parse.GetValue(csv) is { } csvPath) AtomicFile.WriteAllText(csvPath, Csv(scores));
            if (parse.GetValue(json))
                Console.WriteLine(folderMode ? FolderJson(scores) : CaseJson(scores[0].Scores));
            else
                Ui.Out().Write(Table(scores, folderMode));
            return 0;
        }));
        return command;
    }

    private static SegmentationScores Score(string predPath, string gtPath, double[]? spacing)
    {
        // One float volume at a time, each kept only as its mask: memory stays near one volume's float32 size.
        var (predMask, predShape) = Mask(predPath);
        var (gtMask, gtShape) = Mask(gtPath);
        if (predShape != gtShape) throw new PmcmException($"{predPath} is {predShape} but {gtPath} is {gtShape}");
        return SegmentationMetrics.Compute(predMask, gtMask, predShape, spacing);
    }

    private static (bool[] Mask, Shape3 Shape) Mask(string path)
    {
        var volume = VolumeIO.Read(path, DatasetFor(path));
        return (volume.ToMask(), volume.Shape);
    }

    // Community .h5 cases keep the mask in "label"; prediction .h5 files are expected to do the same.
    private static string? DatasetFor(string path) =>
        path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase) ? "label" : null;

    private static List<(string Name, string Pred, string Gt)> Pairs(string predPath, string gtPath)
    {
        var predIsFolder = Directory.Exists(predPath);
        if (predIsFolder != Directory.Exists(gtPath))
            throw new PmcmException($"--pred and --gt must both be files or both be folders ({predPath}, {gtPath})");
        if (!predIsFolder)
        {
            if (!File.Exists(predPath)) throw new PmcmException($"{predPath}: no such file");
            if (!File.Exists(gtPath)) throw new PmcmException($"{gtPath}: no such file");
            return [(Path.GetFileName(predPath), predPath, gtPath)];
        }

        var predNames = VolumeFiles(predPath);
        var gtNames = VolumeFiles(gtPath);
        if (predNames.Count == 0) throw new PmcmException($"{predPath}: no volume files ({string.Join(", ", VolumeExtensions)})");
        var noGt = predNames.Except(gtNames).ToList();
        if (noGt.Count > 0) throw new PmcmException($"{gtPath}: no ground truth for {Few(noGt)}");
        var noPred = gtNames.Except(predNames).ToList();
        if (noPred.Count > 0) throw new PmcmException($"{predPath}: no prediction for {Few(noPred)}");
        return predNames.Select(n => (n, Path.Combine(predPath, n), Path.Combine(gtPath, n))).ToList();
    }

    private static List<string> VolumeFiles(string folder) =>
        Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => VolumeExtensions.Any(e => n.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string Few(List<string> names) =>
        string.Join(", ", names.Take(3)) + (names.Count > 3 ? $" and {names.Count - 3} more" : "");

    private static double[]? ParseSpacing(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0) || double.IsInfinity(values[i]))
                throw new PmcmException($"--spacing '{text}': expected three positive numbers sx,sy,sz");
        if (values.Length != 3) throw new PmcmException($"--spacing '{text}': expected three positive numbers sx,sy,sz");
        return values;
    }

    private static string CaseJson(SegmentationScores s) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["dice"] = s.Dice,
        ["jaccard"] = s.Jaccard,
        ["hd95"] = s.Hd95,
        ["asd"] = s.Asd,
        ["empty_prediction"] = s.EmptyPrediction,
        ["empty_reference"] = s.EmptyReference,
    }, Ui.Json);

    private static string FolderJson(List<(string Name, SegmentationScores Scores)> scores)
    {
        var summary = MetricSummary.Of(scores.Select(s => s.Scores).ToList());
        Dictionary<string, double> Pick(Func<Statistic, double> value) => new()
        {
            ["dice"] = value(summary.Dice),
            ["jaccard"] = value(summary.Jaccard),
            ["hd95"] = value(summary.Hd95),
            ["asd"] = value(summary.Asd),
        };
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["cases"] = scores.Select(s => new Dictionary<string, object>
            {
                ["case"] = s.Name,
                ["dice"] = s.Scores.Dice,
                ["jaccard"] = s.Scores.Jaccard,
                ["hd95"] = s.Scores.Hd95,
                ["asd"] = s.Scores.Asd,
                ["empty_prediction"] = s.Scores.EmptyPrediction,
                ["empty_reference"] = s.Scores.EmptyReference,
            }).ToList(),
            ["mean"] = Pick(s => s.Mean),
            ["std"] = Pick(s => s.Std),
            ["empty_predictions"] = summary.EmptyPredictions,
            ["empty_references"] = summary.EmptyReferences,
        }, Ui.Json);
    }

    private static string Csv(List<(string Name, SegmentationScores Scores)> scores)
    {
        var text = new StringBuilder("case,dice,jaccard,hd95,asd,empty_prediction,empty_reference\n");
        foreach (var (name, s) in scores)
            text.Append(CultureInfo.InvariantCulture,
                $"{Quote(name)},{s.Dice:R},{s.Jaccard:R},{s.Hd95:R},{s.Asd:R},{s.EmptyPrediction.ToString().ToLowerInvariant()},{s.EmptyReference.ToString().ToLowerInvariant()}\n");
        return text.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n']) < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";

    private static Table Table(List<(string Name, SegmentationScores Scores)> scores, bool folderMode)
    {
        var table = new Table().AddColumn("case").AddColumns(
            new TableColumn("Dice").RightAligned(), new TableColumn("Jaccard").RightAligned(),
            new TableColumn("HD95").RightAligned(), new TableColumn("ASD").RightAligned(), new TableColumn("note"));
        foreach (var (name, s) in scores)
            table.AddRow(Markup.Escape(name), F(s.Dice), F(s.Jaccard), F(s.Hd95), F(s.Asd), Note(s));
        if (folderMode)
        {
            var summary = MetricSummary.Of(scores.Select(s => s.Scores).ToList());
            table.AddEmptyRow();
            table.AddRow("[bold]mean ± std[/]", Pm(summary.Dice), Pm(summary.Jaccard), Pm(summary.Hd95), Pm(summary.Asd),
                summary.EmptyPredictions + summary.EmptyReferences == 0 ? ""
                    : $"{summary.EmptyPredictions} empty prediction(s), {summary.EmptyReferences} empty reference(s)");
            table.Caption("std is the population std (ddof = 0) as numpy; empty predictions score 0");
        }
        return table;
    }

    private static string Note(SegmentationScores s) =>
        s.EmptyPrediction ? "empty prediction (scored 0)" : s.EmptyReference ? "empty reference (HD95/ASD undefined)" : "";

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F4", CultureInfo.InvariantCulture);

    private static string Pm(Statistic s) => $"{F(s.Mean)} ± {F(s.Std)}";
}
