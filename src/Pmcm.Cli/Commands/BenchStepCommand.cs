using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.Volumes;
using Pmcm.Learning;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm bench step`: the time of one whole PMCM training step against the network's forward + backward alone,
/// so the cost of the loss machinery (PML, CML, diversity, supervision) can be read off as a ratio, in wall and
/// process CPU seconds, for each `--precision` asked (fp32,bf16 times both in one run).
/// </summary>
public static class BenchStepCommand
{
    public static Command Create()
    {
        var nFilters = new Option<int>("--n-filters") { Description = "Base filter count", DefaultValueFactory = _ => 16 };
        var batch = new Option<int>("--batch") { Description = "Batch size (half labeled)", DefaultValueFactory = _ => 4 };
        var patch = new Option<string>("--patch") { Description = "Patch X,Y,Z (multiples of 16)", DefaultValueFactory = _ => "64,64,48" };
        var runs = new Option<int>("--runs") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 3 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: all cores)" };
        var precision = new Option<string>("--precision") { Description = "Precisions to time, comma-separated: fp32, bf16 or fp32,bf16 (runs interleaved, so both see the same machine load)", DefaultValueFactory = _ => "fp32" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("step", "Time one PMCM training step and the network's forward + backward alone") { nFilters, batch, patch, runs, threads, precision, json };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var shape = Shape3.Parse(parse.GetValue(patch)!);
            if (shape.X % 16 != 0 || shape.Y % 16 != 0 || shape.Z % 16 != 0) throw new PmcmException($"--patch {shape}: every side must be a multiple of 16");
            var b = parse.GetValue(batch);
            if (b < 2) throw new PmcmException("--batch must be at least 2 (one labeled, one unlabeled)");
            var count = Math.Max(1, parse.GetValue(runs));
            var precisions = Precisions.ParseList(parse.GetValue(precision)!);
            foreach (var p in precisions) Precisions.RequireSupported(p, CPU);
            TorchRuntime.SetThreads(parse.GetValue(threads));

            manual_seed(0);
            var model = new PmcmNet(new PmcmNetOptions { NFilters = parse.GetValue(nFilters) });
            var step = new PmcmStep(model, new MappingNet(2, 8), new MappingNet(2, 8), PmcmLossOptions.La, new OptimizerOptions());
            using var data = NewDisposeScope();
            var image = randn(new long[] { b, 1, shape.X, shape.Y, shape.Z });
            var label = image[.., 0].gt(0.5).to_type(ScalarType.Int64);
            var sdf = image[.., 0].tanh();
            var input = new PmcmBatch(image, label, sdf, b / 2);

            var measures = precisions.SelectMany(p => new Action[]
            {
                () => { model.Precision = p; step.Train(input, 6000); },
                () => { model.Precision = p; NetworkOnly(model, step, image); },
            }).ToArray();
            var medians = MedianInterleaved(measures, count);
            var results = precisions.Select((p, i) => new PrecisionTiming(p, medians[2 * i], medians[2 * i + 1])).ToArray();
            var first = results[0];
            var fp32 = results.FirstOrDefault(r => r.Precision == Precision.Fp32);
            var bf16 = results.FirstOrDefault(r => r.Precision == Precision.Bf16);

            if (parse.GetValue(json))
            {
                var report = new Dictionary<string, object>
                {
                    ["n_filters"] = parse.GetValue(nFilters), ["batch"] = b, ["patch"] = new[] { shape.X, shape.Y, shape.Z },
                    ["threads"] = get_num_threads(), ["runs"] = count, ["precision"] = Precisions.Name(first.Precision),
                    ["step_seconds"] = first.Step.Wall, ["forward_backward_seconds"] = first.Network.Wall,
                    ["loss_overhead"] = first.Step.Wall / first.Network.Wall - 1,
                    ["by_precision"] = results.ToDictionary(r => Precisions.Name(r.Precision), r => new Dictionary<string, double>
                    {
                        ["step_seconds"] = r.Step.Wall, ["step_cpu_seconds"] = r.Step.Cpu,
                        ["forward_backward_seconds"] = r.Network.Wall, ["forward_backward_cpu_seconds"] = r.Network.Cpu,
                    }),
                };
                if (fp32 is not null && bf16 is not null)
                {
                    report["bf16_forward_backward_speedup"] = fp32.Network.Wall / bf16.Network.Wall;
                    report["bf16_forward_backward_cpu_speedup"] = fp32.Network.Cpu / bf16.Network.Cpu;
                }
                Console.WriteLine(JsonSerializer.Serialize(report, Ui.Json));
                return 0;
            }
            var table = new Table().AddColumn("precision").AddColumn("measure")
                .AddColumn(new TableColumn("median wall s").RightAligned()).AddColumn(new TableColumn("median CPU s").RightAligned());
            static string F(double seconds) => seconds.ToString("F3", CultureInfo.InvariantCulture);
            foreach (var r in results)
            {
                var name = Precisions.Name(r.Precision);
                table.AddRow(name, "whole PMCM step (forward, all losses, backward, SGD)", F(r.Step.Wall), F(r.Step.Cpu));
                table.AddRow(name, "network forward + backward alone", F(r.Network.Wall), F(r.Network.Cpu));
                table.AddRow(name, "loss machinery overhead", $"{(r.Step.Wall / r.Network.Wall - 1) * 100:F1} %", $"{(r.Step.Cpu / r.Network.Cpu - 1) * 100:F1} %");
            }
            if (fp32 is not null && bf16 is not null)
                table.AddRow("bf16", "network forward + backward speed-up over fp32",
                    $"{fp32.Network.Wall / bf16.Network.Wall:F2}×", $"{fp32.Network.Cpu / bf16.Network.Cpu:F2}×");
            table.Caption($"n_filters {parse.GetValue(nFilters)}, batch {b}, patch {shape}, {get_num_threads()} threads, {count} runs");
            Ui.Out().Write(table);
            return 0;
        }));
        return command;
    }

    private sealed record Timing(double Wall, double Cpu);

    private sealed record PrecisionTiming(Precision Precision, Timing Step, Timing Network);

    // The same forward and backward through both decoders' heads, with a trivial loss in place of PMCM's.
    private static void NetworkOnly(PmcmNet model, PmcmStep step, Tensor image)
    {
        using var scope = NewDisposeScope();
        model.train();
        step.Optimizer.zero_grad();
        var outputs = model.forward(image);
        var loss = outputs.Decoder1.Seg.mean() + outputs.Decoder1.Sdf!.mean() + outputs.Decoder2!.Seg.mean() + outputs.Decoder2!.Sdf!.mean();
        loss.backward();
        step.Optimizer.step();
    }

    /// <summary>
    /// Median wall and process CPU seconds of each action, after one warm-up of each; the actions take turns
    /// within every run so that a change in the machine's load falls on all of them alike.
    /// </summary>
    private static Timing[] MedianInterleaved(Action[] actions, int runs)
    {
        foreach (var action in actions) action();
        var samples = actions.Select(_ => new List<Timing>()).ToArray();
        for (var run = 0; run < runs; run++)
            for (var i = 0; i < actions.Length; i++)
            {
                var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                actions[i]();
                var wall = clock.Elapsed.TotalSeconds;
                process.Refresh();
                samples[i].Add(new Timing(wall, (process.TotalProcessorTime - cpu).TotalSeconds));
            }
        return samples.Select(s => new Timing(Median(s.Select(t => t.Wall)), Median(s.Select(t => t.Cpu)))).ToArray();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
