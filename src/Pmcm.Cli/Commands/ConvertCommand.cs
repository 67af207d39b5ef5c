using System.CommandLine;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>`pmcm convert IN OUT [--dataset NAME] [--type T]`: rewrites a volume in the format OUT's extension names.</summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("in") { Description = "Volume to read (.nii, .nii.gz, .nrrd, .nhdr, .h5)" };
        var output = new Argument<FileInfo>("out") { Description = "Volume to write (.nii, .nii.gz, .nrrd, .h5)" };
        var dataset = new Option<string>("--dataset")
        {
            Description = "HDF5 dataset to read from an .h5 input and to write into an .h5 output",
            DefaultValueFactory = _ => VolumeIO.DefaultDataset,
        };
        var type = new Option<string?>("--type") { Description = "Voxel type to write (uint8, int8, int16, uint16, int32, float32, float64); default: the input's" };
        var command = new Command("convert", "Convert a volume between NIfTI, NRRD and HDF5 (geometry kept where the format has it)")
        {
            input, output, dataset, type,
        };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var (inPath, outPath) = (parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName);
            var name = parse.GetValue(dataset)!;
            VolumeFormats.FromPath(outPath);
            var volume = VolumeIO.Read(inPath, name);
            if (parse.GetValue(type) is { } typeName)
                volume = new Volume(volume.Shape, volume.Data, volume.Geometry, VoxelTypes.Parse(typeName));
            VolumeIO.Write(outPath, volume, name);
            Ui.Out().MarkupLine($"wrote {Markup.Escape(outPath)} ({volume.Shape}, {volume.Type.Name()})");
            return 0;
        }));
        return command;
    }
}
