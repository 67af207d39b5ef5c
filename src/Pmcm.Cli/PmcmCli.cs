using System.CommandLine;
using Pmcm.Cli.Commands;

namespace Pmcm.Cli;

/// <summary>The `pmcm` command tree. Each subcommand lives in Commands/ as one file with a static Create().</summary>
public static class PmcmCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Pmcm: semi-supervised 3-D medical image segmentation (PMCM) for .NET");
        foreach (var command in new[]
                 {
                     InfoCommand.Create(),
                     CheckReferenceCommand.Create(),
                     ExperimentCommand.Create(),
                     CompareCommand.Create(),
                     GradientsCommand.Create(),
                     ConvertCommand.Create(),
                     SdfCommand.Create(),
                     MetricsCommand.Create(),
                     SynthCommand.Create(),
                     PrepareCommand.Create(),
                     BenchCommand.Create(),
                     TrainCommand.Create(),
                     DemoCommand.Create(),
                     EvalCommand.Create(),
                     PredictCommand.Create(),
                 })
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Runs the CLI in-process (used by Program and by the CLI tests).</summary>
    public static int Run(params string[] args) => CliRunner.Run(Build(), args);
}
