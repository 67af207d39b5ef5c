using System.CommandLine;
using System.Diagnostics;
using Pmcm.Core;
using Pmcm.Core.Morphology;
using Pmcm.Core.IO;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>`pmcm sdf --input MASK --out OUT`: the normalised signed distance field PMCM trains on (gt_dis).</summary>
public static class SdfCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Label volume (foreground = value > 0)", Required = true };
        var output = CommonOptions.Out("Where to write the float32 SDF (format from the extension)");
        var dataset = new Option<string?>("--dataset") { Description = "HDF5 dataset holding the label (default: label)" };
        var command = new Command("sdf", "Signed distance field of a mask, normalised to [-1, 1] (negative inside, 0 on the inner boundary)")
        {
            input, output, dataset,
        };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            var label = VolumeIO.Read(inputPath, parse.GetValue(dataset) ?? DefaultDataset(inputPath));
            var mask = label.ToMask();
            var foreground = mask.LongCount(m => m);
            if (foreground == mask.LongLength)
                throw new PmcmException($"{inputPath}: the mask fills the whole volume, so its signed distance is undefined");
            var sdf = SignedDistance.Compute(label);
            VolumeIO.Write(outputPath, sdf);

            var table = new Table().HideHeaders().AddColumns("", "");
            table.AddRow("mask", Markup.Escape(inputPath));
            table.AddRow("shape", label.Shape.ToString());
            table.AddRow("foreground voxels", foreground == 0 ? "0 (empty mask: the SDF is all zeros)" : $"{foreground}");
            table.AddRow("written", Markup.Escape(outputPath));
            table.AddRow("time", $"{clock.Elapsed.TotalSeconds:F2} s");
            Ui.Out().Write(table);
            return 0;
        }));
        return command;
    }

    // Community .h5 cases hold several datasets; the mask is the one called "label".
    private static string? DefaultDataset(string path) =>
        path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase) ? "label" : null;
}
