using System.CommandLine;
using System.Diagnostics;
using Pmcm.Core;
using Pmcm.Core.IO;
using Pmcm.Core.Synthetic;
using Pmcm.Core.Volumes;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>`pmcm synth --out DIR [--cases N] [--size X,Y,Z] [--seed S]`: a synthetic LA-like dataset in the community layout.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new SyntheticOptions();
        var output = CommonOptions.Out("Dataset folder to create (<case>/mri_norm2.h5, train.list, test.list)");
        var cases = new Option<int>("--cases") { Description = "Number of cases", DefaultValueFactory = _ => defaults.Cases };
        var size = new Option<string>("--size") { Description = "Volume size X,Y,Z", DefaultValueFactory = _ => $"{defaults.Size.X},{defaults.Size.Y},{defaults.Size.Z}" };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same dataset", DefaultValueFactory = _ => defaults.Seed };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of cases listed in test.list", DefaultValueFactory = _ => defaults.TestFraction };
        var command = new Command("synth", "Generate a synthetic LA-like dataset (shape must be learned: look-alike structures are unlabeled)")
        {
            output, cases, size, seed, testFraction,
        };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var options = defaults with
            {
                Cases = parse.GetValue(cases),
                Size = Shape3.Parse(parse.GetValue(size)!, size.Name),
                Seed = parse.GetValue(seed),
                TestFraction = parse.GetValue(testFraction),
            };
            options.Validate();
            var directory = parse.GetValue(output)!;
            if (File.Exists(directory)) throw new PmcmException($"{directory}: exists and is a file, not a folder");

            var clock = Stopwatch.StartNew();
            using (var progress = new TerminalProgress(options.Cases, "cases"))
                new SyntheticDatasetWriter(options, (path, image, label, sdf) => new H5Case(image, label, sdf).Write(path))
                    .Write(directory, progress);

            var table = new Table().HideHeaders().AddColumns("", "");
            table.AddRow("folder", Markup.Escape(Path.GetFullPath(directory)));
            table.AddRow("cases", $"{options.Cases} ({options.Cases - options.TestCases} train, {options.TestCases} test)");
            table.AddRow("size", options.Size.ToString());
            table.AddRow("seed", $"{options.Seed}");
            table.AddRow("time", $"{clock.Elapsed.TotalSeconds:F1} s");
            Ui.Out().Write(table);
            return 0;
        }));
        return command;
    }
}
