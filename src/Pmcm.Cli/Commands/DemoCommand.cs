using System.CommandLine;
using System.Diagnostics;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Core.Synthetic;
using Pmcm.Learning;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
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
        var output = new Option<string>("--out") { Description = "Folder for the dataset and the run", DefaultValueFactory = _ => "pmcm-demo" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: every core)" };
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
            var summary = TrainCommand.Run(options, resume: false);
            var scores = ScoreTestCases(options, new RunFiles(runDir).BestWeights);

            var console = Ui.Out();
            console.Write(MetricsTable(scores));
            console.Write(TrainCommand.SummaryTable(summary));
            console.WriteLine($"demo finished in {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        }));
        return command;
    }

    private static IReadOnlyList<(string Name, SegmentationScores Scores)> ScoreTestCases(TrainingOptions options, string weights)
    {
        var data = TrainingData.Open(options.DataDirectory, options.RunDirectory);
        var cases = (data.TestList ?? []).Select(data.LoadLabeled).ToList();
        using var model = new PmcmNet(options.Network);
        PyTorchStateDict.Load(model, weights);
        var predictor = Decoder1Windows.Create(model, options.Patch, TorchRuntime.ResolveDevice(options.Device));
        var scores = Validation.Score(cases, predictor, options.Window);
        return cases.Select((c, i) => (c.Name, scores[i])).ToList();
    }

    private static Table MetricsTable(IReadOnlyList<(string Name, SegmentationScores Scores)> cases)
    {
        var table = new Table().AddColumns("case", "Dice", "Jaccard", "HD95", "ASD");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var (name, s) in cases)
            table.AddRow(Markup.Escape(name), $"{s.Dice:F4}", $"{s.Jaccard:F4}", $"{s.Hd95:F2}", $"{s.Asd:F2}");
        var summary = MetricSummary.Of(cases.Select(c => c.Scores).ToList());
        static string Both(Statistic s, string format) => $"{s.Mean.ToString(format)} ± {s.Std.ToString(format)}";
        table.AddRow("mean ± std", Both(summary.Dice, "F4"), Both(summary.Jaccard, "F4"), Both(summary.Hd95, "F2"), Both(summary.Asd, "F2"));
        return table;
    }
}
