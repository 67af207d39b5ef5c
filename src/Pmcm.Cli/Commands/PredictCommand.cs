using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pmcm.Cli.Rendering;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.Inference;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Pmcm.Learning;
using Pmcm.Learning.Inference;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm predict --model RUN|PTH --input FILE|DIR --out FILE|DIR [--overlay PNG|DIR] [inference options] [--json]`:
/// segments new scans (NIfTI, NRRD, or the `image` dataset of an .h5) and writes uint8 masks on each scan's
/// grid and geometry; a model trained on shrunk volumes segments the scan shrunk the same way and its probabilities
/// are brought back trilinearly to the scan's grid. A folder of scans gives a folder of masks, HDF5 inputs becoming .nii.gz (HDF5 keeps no geometry).
/// </summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var inference = new InferenceArguments();
        var input = new Option<string>("--input") { Description = "A scan (.nii, .nii.gz, .nrrd, .nhdr, .h5) or a folder of them", Required = true };
        var output = CommonOptions.Out("Mask file (format by extension), or a folder when --input is one");
        var overlay = new Option<string?>("--overlay") { Description = "Also draw axial slices with the mask outline: a PNG file, or a folder when --input is one" };
        var json = CommonOptions.Json();
        var replaceNonFinite = new Option<float?>("--replace-nonfinite") { Description = "Put this value in place of NaN or infinite scan voxels (default: such a scan is an error)" };
        var command = new Command("predict", "Segment new scans with a trained model and write the masks") { input, output, overlay, json, replaceNonFinite };
        inference.AddTo(command);
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var jobs = Jobs(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(overlay));
            var (inferer, model) = inference.Inferer(parse);
            var written = new List<Dictionary<string, object?>>();
            using (var progress = new TerminalProgress(jobs.Count, "scans"))
            {
                foreach (var (scanPath, maskPath, overlayPath) in jobs)
                {
                    var scan = VolumeIO.Read(scanPath);
                    if (parse.GetValue(replaceNonFinite) is { } replacement)
                    {
                        if (!float.IsFinite(replacement)) throw new PmcmException($"--replace-nonfinite {replacement} must be a finite number");
                        NonFiniteVoxels.Replace(scan, replacement);
                    }
                    NonFiniteVoxels.ThrowIfAny(scan, scanPath, "pass --replace-nonfinite VALUE to segment it anyway");
                    var (mask, windows) = Segment(inferer, scan, model.Grid, scanPath);
                    VolumeIO.Write(maskPath, MaskVolume.From(mask, scan));
                    if (overlayPath is not null) OverlayRenderer.Write(overlayPath, scan, mask);
                    written.Add(new Dictionary<string, object?>
                    {
                        ["input"] = scanPath,
                        ["output"] = maskPath,
                        ["overlay"] = overlayPath,
                        ["shape"] = new[] { scan.Shape.X, scan.Shape.Y, scan.Shape.Z },
                        ["foreground_voxels"] = mask.Sum(m => (long)m),
                        ["windows"] = windows,
                    });
                    progress.Report(written.Count);
                }
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["model"] = model.WeightsPath, ["downsample"] = model.Downsample, ["standardise"] = model.Grid.Standardise, ["scans"] = written }, Ui.Json));
                return 0;
            }
            var table = new Table().AddColumn("input").AddColumn("mask").AddColumn(new TableColumn("foreground voxels").RightAligned()).AddColumn(new TableColumn("windows").RightAligned());
            foreach (var w in written)
                table.AddRow(Markup.Escape((string)w["input"]!), Markup.Escape((string)w["output"]!),
                    ((long)w["foreground_voxels"]!).ToString(CultureInfo.InvariantCulture), ((int)w["windows"]!).ToString(CultureInfo.InvariantCulture));
            table.Caption($"model: {Markup.Escape(model.WeightsPath)}");
            Ui.Out().Write(table);
            return 0;
        }));
        return command;
    }

    // Only the mask leaves: the float probability map (as large as the scan) is garbage, and the network's working
    // memory is handed back to the system, before the mask is written.
    private static (byte[] Mask, int Windows) Segment(SlidingWindowInferer inferer, Volume scan, TrainingGrid grid, string scanPath)
    {
        SlidingWindowResult result;
        try
        {
            result = inferer.Segment(scan, grid);
        }
        catch (PmcmException e)
        {
            // A scan the run's grid cannot take (a constant image cannot be standardised): say which.
            throw new PmcmException($"{scanPath}: {e.Message}");
        }
        NativeHeap.ReleaseFreeMemory();
        return (result.Mask, result.Windows);
    }

    private static List<(string Scan, string Mask, string? Overlay)> Jobs(string input, string output, string? overlay)
    {
        if (File.Exists(input))
        {
            VolumeFormats.FromPath(input);
            VolumeFormats.FromPath(output);
            if (Directory.Exists(output)) throw new PmcmException($"--out {output} is a folder; for one scan name the mask file");
            if (Path.GetFullPath(input) == Path.GetFullPath(output)) throw new PmcmException($"--out {output} would overwrite the scan");
            return [(input, output, overlay)];
        }
        if (!Directory.Exists(input)) throw new PmcmException($"{input}: no such scan file or folder");
        if (File.Exists(output)) throw new PmcmException($"--out {output} is a file; for a folder of scans name a folder");
        if (Path.GetFullPath(input).TrimEnd('/') == Path.GetFullPath(output).TrimEnd('/'))
            throw new PmcmException($"--out {output} is the input folder; masks would overwrite the scans");
        var scans = Directory.EnumerateFiles(input).Where(VolumeFormats.IsVolume).Order(StringComparer.Ordinal).ToList();
        if (scans.Count == 0) throw new PmcmException($"{input}: no scans (.nii, .nii.gz, .nrrd, .nhdr, .h5)");
        return scans.Select(s => (s, Path.Combine(output, MaskName(s)), overlay is null ? null : Path.Combine(overlay, VolumeFormats.Stem(s) + ".png"))).ToList();
    }

    // Keeps the scan's format, except that HDF5 (no geometry) and detached NRRD (not writable) become .nii.gz.
    private static string MaskName(string scan) => VolumeFormats.FromPath(scan) switch
    {
        VolumeFormat.Hdf5 or VolumeFormat.Nhdr => VolumeFormats.Stem(scan) + ".nii.gz",
        _ => Path.GetFileName(scan),
    };
}
