using System.CommandLine;
using Pmcm.Core;
using Pmcm.Learning.Experiments;
using Pmcm.Learning.Training;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm experiment --data DIR --out DIR [--methods …] [--labeled 8,all] [--seeds …] [scale options]`: trains and
/// scores a grid of runs at one scale (finished runs are skipped), then writes results.md, results.csv and
/// results.png in the output folder.
/// </summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var methods = new Option<string>("--methods") { Description = $"Comma-separated methods ({string.Join(", ", TrainingMethods.Allowed)})", DefaultValueFactory = _ => "supervised,mcnet,pmcm,pmcm-no-pml,pmcm-no-cml" };
        var labeled = new Option<string>("--labeled") { Description = "Comma-separated labeled counts; 'all' = every non-validation case (supervised upper bound only)", DefaultValueFactory = _ => "8,all" };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds", DefaultValueFactory = _ => "1337" };
        var shared = new TrainingOptionSet("Experiment folder (one run folder per grid cell, results.md/.csv/.png)");
        var command = new Command("experiment", "Train and compare methods × labeled counts × seeds at one scale") { methods, labeled, seeds };
        shared.AddTo(command);
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var template = shared.Resolve(parse);
            template.Validate();
            var options = new ExperimentOptions(template,
                Split(parse.GetValue(methods)!).Select(TrainingMethods.Parse).Distinct().ToList(),
                LabeledCount.ParseList(parse.GetValue(labeled)!),
                Split(parse.GetValue(seeds)!).Select(s => int.TryParse(s, out var v) ? v : throw new PmcmException($"seed '{s}' is not an integer")).ToList());
            var cells = options.Cells().ToList();
            if (cells.Count == 0) throw new PmcmException("the grid is empty: 'all' labeled applies to the supervised method only");

            using var progress = new TrainingProgressLine();
            var runner = new ExperimentRunner(options) { Log = message => Console.Error.WriteLine(message), Progress = progress.Report };
            var rows = ExperimentReport.Rows(runner.Run());
            ExperimentReport.Write(options.OutDirectory, rows);
            var chart = Path.Combine(options.OutDirectory, "results.png");
            ExperimentChart.Write(chart, rows);

            Console.WriteLine(ExperimentReport.Markdown(rows));
            Ui.Out().MarkupLine($"results: [bold]{Markup.Escape(Path.Combine(options.OutDirectory, "results.md"))}[/], results.csv, {Markup.Escape(chart)}");
            return 0;
        }));
        return command;
    }

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
