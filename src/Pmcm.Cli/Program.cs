using System.CommandLine;
using Pmcm.Cli;
using Pmcm.Cli.Commands;

// The `pmcm` command: each subcommand lives in Commands/ as one file with a static Create().
var root = new RootCommand("Pmcm: semi-supervised 3-D medical image segmentation (PMCM) for .NET");
foreach (var command in new[]
         {
             InfoCommand.Create(),
         })
    root.Subcommands.Add(command);

return CliRunner.Run(root, args);
