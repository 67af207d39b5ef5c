using System.CommandLine;
using Pmcm.Cli.Reports;
using Pmcm.Cli.Slurm;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Learning.Experiments;
using Pmcm.Learning;
using Pmcm.Learning.Training;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm experiment --data DIR --out DIR [--methods …] [--labeled 8,all] [--seeds …] [scale options]`: trains and
/// scores a grid of runs at one scale (finished runs are skipped), then writes results.csv, results.png and
/// index.html in the output folder and the Markdown report (<see cref="ExperimentMarkdown"/>) at `--report PATH`
/// (default OUT/results.md), from the cells that have finished; missing cells are named, not fatal.
/// `--emit slurm DIR` writes Slurm job scripts for the same grid instead (<see cref="SlurmJobScripts"/>);
/// `--cell N` and `--collect` are what those jobs run.
/// </summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var methods = new Option<string>("--methods") { Description = $"Comma-separated methods ({string.Join(", ", TrainingMethods.Allowed)})", DefaultValueFactory = _ => "supervised,mcnet,pmcm,pmcm-no-pml,pmcm-no-cml" };
        var labeled = new Option<string>("--labeled") { Description = "Comma-separated labeled counts; 'all' = every non-validation case (supervised upper bound only)", DefaultValueFactory = _ => "8,all" };
        var rows = new Option<string?>("--rows") { Description = "Comma-separated method:labeled rows (e.g. supervised:8,supervised:all,pmcm:8), instead of every --methods × --labeled pair" };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds", DefaultValueFactory = _ => "1337" };
        var report = new Option<string?>("--report") { Description = "Where to write the Markdown report (default OUT/results.md); its pictures go into the folder beside it named after its stem" };
        var findings = new Option<string?>("--findings") { Description = "A Markdown file of what the numbers mean, written by hand, put into the report after the grid's description (so regenerating the report keeps it)" };
        var shared = new TrainingOptionSet("Experiment folder (one run folder per grid cell, results.md/.csv/.png, index.html)");
        var modes = new ExperimentModeOptionSet();
        var command = new Command("experiment", "Train and compare methods × labeled counts × seeds at one scale, here or on Slurm") { methods, labeled, rows, seeds, report, findings };
        shared.AddTo(command);
        modes.AddTo(command);
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            // Read first: a missing findings file must not wait for the grid's training to be found.
            var findingsText = parse.GetValue(findings) is { } findingsPath ? ReadFindings(findingsPath) : null;
            var template = shared.Resolve(parse);
            template.Validate();
            var seedList = Split(parse.GetValue(seeds)!).Select(s => int.TryParse(s, out var v) ? v : throw new PmcmException($"seed '{s}' is not an integer")).ToList();
            ExperimentOptions options;
            if (parse.GetValue(rows) is { } rowList)
            {
                if (parse.GetResult(methods) is { Implicit: false } || parse.GetResult(labeled) is { Implicit: false })
                    throw new PmcmException("--rows lists the grid's rows itself: give it without --methods and --labeled");
                options = new ExperimentOptions(template, ExperimentGridRow.ParseList(rowList).Distinct().ToList(), seedList);
            }
            else
            {
                options = new ExperimentOptions(template, Split(parse.GetValue(methods)!).Select(TrainingMethods.Parse).Distinct().ToList(),
                    LabeledCount.ParseList(parse.GetValue(labeled)!), seedList);
            }
            var cells = options.Cells().ToList();
            if (cells.Count == 0) throw new PmcmException("the grid is empty: 'all' labeled applies to the supervised method only");
            if (!template.LossWeights.IsNone && !cells.Any(c => TrainingMethods.Describe(c.Method).HasLossWeights))
                throw new PmcmException($"--loss-weights {template.LossWeights}: no row of the grid trains PMCM's objective (pmcm or an ablation), so it would change nothing");
            var mode = modes.Mode(parse);

            if (mode is ExperimentMode.Emit emit)
            {
                // Fail here, on the login node, rather than in every array task.
                TrainingData.Open(template.DataDirectory, options.OutDirectory, template.Grid);
                SlurmJobScripts.Write(emit.Directory, PmcmCommandLine(), GridArguments(parse, command, modes), cells.Select(c => c.Name).ToList(),
                    emit.Slurm, Directory.GetCurrentDirectory());
                Console.WriteLine($"{cells.Count} cells; submit them with {Path.Combine(Path.GetFullPath(emit.Directory), SlurmJobScripts.SubmitScript)}");
                return 0;
            }

            NativeHeap.RetainFreedMemory(); // as pmcm train runs
            using var progress = new TrainingProgressLine();
            var runner = new ExperimentRunner(options) { Log = message => Console.Error.WriteLine(message), Progress = progress.Report };
            if (mode is ExperimentMode.Cell cell)
            {
                var result = runner.Run(cell.Index);
                Console.WriteLine(FormattableString.Invariant($"{cells[cell.Index].Name}: Dice {result.Scores.Average(s => s.Dice):F4} on {result.Scores.Count} validation cases"));
                return 0;
            }
            if (mode is ExperimentMode.All) runner.Run();
            runner.AddLargestComponentScores();
            var grid = runner.Collect();
            if (grid.Missing.Count > 0)
                Console.Error.WriteLine($"{grid.Missing.Count} of {cells.Count} cells have no {ExperimentRunner.ResultFile}, reported without them: {ExperimentRunner.Describe(grid.Missing)}");
            var analysis = ExperimentReport.Of(grid);
            AtomicFile.WriteAllText(Path.Combine(options.OutDirectory, ExperimentReport.CsvName), analysis.Csv());
            var chart = Path.Combine(options.OutDirectory, ExperimentPage.ChartName);
            ExperimentChart.Write(chart, analysis.Rows);
            var page = ExperimentPage.Write(analysis);
            var markdown = parse.GetValue(report) ?? ExperimentMarkdown.DefaultPath(options.OutDirectory);
            ExperimentMarkdown.Write(markdown, analysis, string.Join(' ', ["pmcm", command.Name, .. ArgumentsAsGiven(parse, command, _ => false).Select(SlurmJobScripts.Quote)]), findingsText);

            Console.WriteLine(ExperimentMarkdown.Table(analysis));
            Ui.Out().MarkupLine($"results: [bold]{Markup.Escape(markdown)}[/] (pictures in {Markup.Escape(ExperimentMarkdown.PictureFolder(markdown))}), {ExperimentReport.CsvName}, {Markup.Escape(chart)}, {Markup.Escape(page)}");
            return 0;
        }));
        return command;
    }

    private static string ReadFindings(string path)
    {
        if (!File.Exists(path)) throw new PmcmException($"--findings {path}: no such file");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PmcmException($"--findings {path}: cannot be read ({e.Message})");
        }
    }

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The grid options exactly as given on this command line, for the cell and collect jobs to repeat.</summary>
    private static List<string> GridArguments(ParseResult parse, Command command, ExperimentModeOptionSet modes) =>
        ArgumentsAsGiven(parse, command, modes.Owns);

    /// <summary>The options given on this command line, in the command's order, but those <paramref name="skip"/> names.</summary>
    private static List<string> ArgumentsAsGiven(ParseResult parse, Command command, Func<Option, bool> skip)
    {
        var arguments = new List<string>();
        foreach (var option in command.Options.Where(o => !skip(o)))
        {
            if (parse.GetResult(option) is not { Implicit: false } given) continue;
            arguments.Add(option.Name);
            arguments.AddRange(given.Tokens.Select(t => t.Value));
        }
        return arguments;
    }

    /// <summary>How to start this pmcm again: its native launcher beside pmcm.dll, else the dotnet host with the dll.</summary>
    private static IReadOnlyList<string> PmcmCommandLine()
    {
        var launcher = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "pmcm.exe" : "pmcm");
        return File.Exists(launcher) ? [launcher] : [Environment.ProcessPath ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "pmcm.dll")];
    }
}
