using System.CommandLine;
using Pmcm.Core;
using Pmcm.Core.Volumes;
using Pmcm.Learning;
using Pmcm.Learning.Training;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm train --data DIR --out RUN_DIR [--method M] [--preset la|pancreas] [...] [--resume]`: trains PMCM (or a
/// baseline) and writes run.json, log.csv, validation.csv, checkpoints and training curves into the run folder.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var labeled = new Option<int?>("--labeled") { Description = "Labeled cases: the first N of train.list (la 8, pancreas 6)" };
        var method = new Option<string>("--method") { Description = $"Training method: {string.Join(", ", TrainingMethods.Allowed)}", DefaultValueFactory = _ => "pmcm" };
        var seed = new Option<int?>("--seed") { Description = "Random seed (1337)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from RUN_DIR/last.ckpt" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a run already in RUN_DIR (otherwise refused)" };
        var shared = new TrainingOptionSet("Run folder (checkpoints, logs, curves)");
        var command = new Command("train", "Train PMCM or a baseline (the first N training cases are labeled)") { labeled, method, seed, resume, overwrite };
        shared.AddTo(command);
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var defaults = shared.Resolve(parse);
            var options = defaults with
            {
                Labeled = parse.GetValue(labeled) ?? defaults.Labeled,
                Seed = parse.GetValue(seed) ?? defaults.Seed,
                Method = TrainingMethods.Parse(parse.GetValue(method)!),
            };
            var summary = Run(options, parse.GetValue(resume), parse.GetValue(overwrite));
            Ui.Out().Write(SummaryTable(summary));
            return 0;
        }));
        return command;
    }

    /// <summary>Runs the trainer with the progress line and warnings on stderr.</summary>
    public static TrainingSummary Run(TrainingOptions options, bool resume, bool overwrite)
    {
        NativeHeap.RetainFreedMemory(); // a training process is ours alone: keep the step's blocks for the next one
        using var progress = new TrainingProgressLine();
        var trainer = new PmcmTrainer(options)
        {
            Progress = progress.Report,
            Warn = message => Console.Error.WriteLine($"warning: {message}"),
            Overwrite = overwrite,
        };
        return trainer.Run(resume);
    }

    public static Table SummaryTable(TrainingSummary s)
    {
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("run folder", Markup.Escape(s.RunDirectory));
        table.AddRow("iterations", $"{s.Iterations}");
        table.AddRow("final loss", $"{s.FinalLoss:F4}");
        table.AddRow("best validation Dice", double.IsNaN(s.BestDice) ? "- (no validation cases)" : $"{s.BestDice:F4} (iteration {s.BestIteration})");
        table.AddRow("time", $"{s.Elapsed.TotalSeconds:F1} s");
        foreach (var picture in s.Pictures) table.AddRow("picture", Markup.Escape(picture));
        return table;
    }
}
