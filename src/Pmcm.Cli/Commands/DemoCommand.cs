using System.CommandLine;
using System.Diagnostics;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Core.Synthetic;
using Pmcm.Learning;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Training;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm demo [--quick] [--out DIR]`: the whole method end to end on synthetic data — generate a dataset,
/// train PMCM with a few labeled cases, score decoder 1 on the held-out test cases (Dice, Jaccard, HD95, ASD).
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A one-minute smoke run (tiny volumes, few iterations)" };
        var output = CommonOptions.Out("Folder for the dataset and the run", "pmcm-demo");
        var threads = CommonOptions.Threads();
        var precision = new Option<string>("--precision") { Description = "Convolutions in fp32 or bf16, in training and scoring (needs AVX512_BF16 or AMX on the CPU)", DefaultValueFactory = _ => "fp32" };
        var command = new Command("demo", "Generate synthetic data, train PMCM on it and evaluate on its test cases") { quick, output, threads, precision };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var settings = parse.GetValue(quick) ? DemoSettings.Quick : DemoSettings.Full;
            var computePrecision = Precisions.Parse(parse.GetValue(precision)!);
            Precisions.RequireSupported(computePrecision, TorchSharp.torch.CPU);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var dataDir = Path.Combine(folder, "data");
            var runDir = Path.Combine(folder, "run");
            var clock = Stopwatch.StartNew();

            Console.Error.WriteLine($"generating {settings.Data.Cases} synthetic cases of {settings.Data.Size} in {dataDir}");
            new SyntheticDatasetWriter(settings.Data, (path, image, label, sdf) => new H5Case(image, label, sdf).Write(path)).Write(dataDir);

            var options = settings.Training(dataDir, runDir) with { Threads = parse.GetValue(threads), Precision = computePrecision };
            var summary = TrainCommand.Run(options, resume: false, overwrite: true);
            var scores = ScoreTestCases(options);

            var console = Ui.Out();
            console.Write(new MetricsReport(scores).Table(caption: "decoder 1 on the test cases"));
            console.Write(TrainCommand.SummaryTable(summary));
            console.WriteLine($"demo finished in {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        }));
        return command;
    }

    private static IReadOnlyList<(string Name, SegmentationScores Scores)> ScoreTestCases(TrainingOptions options)
    {
        var model = ModelSource.Load(options.RunDirectory);
        using var network = model.Net;
        var data = TrainingData.Open(options.DataDirectory, options.RunDirectory, model.Grid);
        var cases = (data.TestList ?? []).Select(data.LoadLabeled);
        return Evaluator.For(model, TorchRuntime.ResolveDevice(options.Device)).Score(cases).Select(c => (c.Name, c.Scores)).ToList();
    }
}
