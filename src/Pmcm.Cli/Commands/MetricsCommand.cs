using System.CommandLine;
using System.Globalization;
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
        var json = CommonOptions.Json();
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

            var report = new MetricsReport(scores);
            if (parse.GetValue(csv) is { } csvPath) AtomicFile.WriteAllText(csvPath, report.Csv());
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(folderMode ? report.Json() : MetricsReport.CaseJson(scores[0].Scores), Ui.Json));
            else
                Ui.Out().Write(report.Table(summary: folderMode));
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
}
