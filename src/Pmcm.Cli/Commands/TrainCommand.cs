using System.CommandLine;
using Pmcm.Core;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Training;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm train --data DIR --out RUN_DIR [--preset la|pancreas] [...] [--resume]`: trains PMCM and writes
/// config.json, log.csv, validation.csv, checkpoints and training curves into the run folder.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder (train.list [+ test.list], <case>/mri_norm2.h5 or <case>_norm.h5)", Required = true };
        var output = new Option<string>("--out") { Description = "Run folder (checkpoints, logs, curves)", Required = true };
        var preset = new Option<string>("--preset") { Description = "Paper settings: la or pancreas", DefaultValueFactory = _ => "la" };
        var labeled = new Option<int?>("--labeled") { Description = "Labeled cases: the first N of train.list (la 8, pancreas 6)" };
        var iterations = new Option<int?>("--iterations") { Description = "Training iterations (15000)" };
        var patch = new Option<string?>("--patch") { Description = "Patch X,Y,Z, multiples of 16 (la 112,112,80; pancreas 96,96,96)" };
        var batch = new Option<int?>("--batch") { Description = "Batch size (4)" };
        var labeledBatch = new Option<int?>("--labeled-batch") { Description = "Labeled samples per batch (2)" };
        var filters = new Option<int?>("--n-filters") { Description = "Filters of the first level (16)" };
        var lr = new Option<double?>("--lr") { Description = "SGD learning rate (0.01)" };
        var seed = new Option<int?>("--seed") { Description = "Random seed (1337)" };
        var valEvery = new Option<int?>("--val-every") { Description = "Validate and checkpoint every N iterations (400)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: every core)" };
        var ramp = new Option<string>("--ramp") { Description = "Consistency ramp-up: scaled (to the run length) or reference (full at 6000)", DefaultValueFactory = _ => "scaled" };
        var resume = new Option<bool>("--resume") { Description = "Continue from RUN_DIR/last.ckpt" };
        var method = new Option<string>("--method") { Description = $"Training method: {string.Join(", ", TrainingMethods.Allowed)}", DefaultValueFactory = _ => "pmcm" };
        var downsample = new Option<int>("--downsample") { Description = "Shrink volumes by this integer factor when loading (images trilinear, labels nearest)", DefaultValueFactory = _ => 1 };
        var command = new Command("train", "Train PMCM or a baseline (the first N training cases are labeled)")
        {
            data, output, preset, method, labeled, iterations, patch, batch, labeledBatch, filters, lr, seed, valEvery, device, threads, ramp, downsample, resume,
        };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var defaults = TrainingOptions.For(ParsePreset(parse.GetValue(preset)!), parse.GetValue(data)!, parse.GetValue(output)!);
            var options = defaults with
            {
                Labeled = parse.GetValue(labeled) ?? defaults.Labeled,
                Iterations = parse.GetValue(iterations) ?? defaults.Iterations,
                Patch = parse.GetValue(patch) is { } p ? Shape3.Parse(p) : defaults.Patch,
                BatchSize = parse.GetValue(batch) ?? defaults.BatchSize,
                LabeledBatchSize = parse.GetValue(labeledBatch) ?? defaults.LabeledBatchSize,
                NFilters = parse.GetValue(filters) ?? defaults.NFilters,
                LearningRate = parse.GetValue(lr) ?? defaults.LearningRate,
                Seed = parse.GetValue(seed) ?? defaults.Seed,
                ValidateEvery = parse.GetValue(valEvery) ?? defaults.ValidateEvery,
                Device = parse.GetValue(device)!,
                Threads = parse.GetValue(threads),
                Ramp = ParseRamp(parse.GetValue(ramp)!),
                Method = TrainingMethods.Parse(parse.GetValue(method)!),
                Downsample = parse.GetValue(downsample),
            };
            var summary = Run(options, parse.GetValue(resume));
            Ui.Out().Write(SummaryTable(summary));
            return 0;
        }));
        return command;
    }

    /// <summary>Runs the trainer with the progress line and warnings on stderr.</summary>
    public static TrainingSummary Run(TrainingOptions options, bool resume)
    {
        using var progress = new TrainingProgressLine();
        var trainer = new PmcmTrainer(options)
        {
            Progress = progress.Report,
            Warn = message => Console.Error.WriteLine($"warning: {message}"),
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

    private static TrainingPreset ParsePreset(string text) => text.Trim().ToLowerInvariant() switch
    {
        "la" => TrainingPreset.La,
        "pancreas" => TrainingPreset.Pancreas,
        _ => throw new PmcmException($"--preset '{text}': use la or pancreas"),
    };

    private static RampMode ParseRamp(string text) => text.Trim().ToLowerInvariant() switch
    {
        "scaled" => RampMode.Scaled,
        "reference" => RampMode.Reference,
        _ => throw new PmcmException($"--ramp '{text}': use scaled or reference"),
    };
}
