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
/// so the cost of the loss machinery (PML, CML, diversity, supervision) can be read off as a ratio.
/// </summary>
public static class BenchStepCommand
{
    public static Command Create()
    {
        var nFilters = new Option<int>("--n-filters") { Description = "Base filter count", DefaultValueFactory = _ => 16 };
        var batch = new Option<int>("--batch") { Description = "Batch size (half labeled)", DefaultValueFactory = _ => 4 };
        var patch = new Option<string>("--patch") { Description = "Patch X,Y,Z (multiples of 16)", DefaultValueFactory = _ => "64,64,48" };
        var runs = new Option<int>("--runs") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 3 };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("step", "Time one PMCM training step and the network's forward + backward alone") { nFilters, batch, patch, runs, threads, json };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var shape = Shape3.Parse(parse.GetValue(patch)!);
            if (shape.X % 16 != 0 || shape.Y % 16 != 0 || shape.Z % 16 != 0) throw new PmcmException($"--patch {shape}: every side must be a multiple of 16");
            var b = parse.GetValue(batch);
            if (b < 2) throw new PmcmException("--batch must be at least 2 (one labeled, one unlabeled)");
            var count = Math.Max(1, parse.GetValue(runs));
            TorchRuntime.SetThreads(parse.GetValue(threads));

            manual_seed(0);
            var model = new PmcmNet(new NetworkOptions { NFilters = parse.GetValue(nFilters) });
            var step = new PmcmStep(model, new MappingNet(2, 8), new MappingNet(2, 8), PmcmLossOptions.La, new OptimizerOptions());
            using var data = NewDisposeScope();
            var image = randn(new long[] { b, 1, shape.X, shape.Y, shape.Z });
            var label = image[.., 0].gt(0.5).to_type(ScalarType.Int64);
            var sdf = image[.., 0].tanh();
            var input = new BatchTensors(image, label, sdf, b / 2);

            var whole = Median(() =>
            {
                using var quiet = TorchGcGuard.Enter();
                step.Train(input, 6000);
            }, count);
            var network = Median(() => NetworkOnly(model, step, image), count);
            var ratio = whole / network;

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["n_filters"] = parse.GetValue(nFilters), ["batch"] = b, ["patch"] = new[] { shape.X, shape.Y, shape.Z },
                    ["threads"] = get_num_threads(), ["step_seconds"] = whole, ["forward_backward_seconds"] = network,
                    ["loss_overhead"] = ratio - 1,
                }, Ui.Json));
                return 0;
            }
            var table = new Table().AddColumn("measure").AddColumn(new TableColumn("median s").RightAligned());
            table.AddRow("whole PMCM step (forward, all losses, backward, SGD)", whole.ToString("F3", CultureInfo.InvariantCulture));
            table.AddRow("network forward + backward alone", network.ToString("F3", CultureInfo.InvariantCulture));
            table.AddRow("loss machinery overhead", $"{(ratio - 1) * 100:F1} %");
            table.Caption($"n_filters {parse.GetValue(nFilters)}, batch {b}, patch {shape}, {get_num_threads()} threads, {count} runs");
            Ui.Out().Write(table);
            return 0;
        }));
        return command;
    }

    // The same forward and backward through both decoders' heads, with a trivial loss in place of PMCM's.
    private static void NetworkOnly(PmcmNet model, PmcmStep step, Tensor image)
    {
        using var quiet = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        model.train();
        step.Optimizer.zero_grad();
        var outputs = model.forward(image);
        var loss = outputs.Decoder1.Seg.mean() + outputs.Decoder1.Sdf!.mean() + outputs.Decoder2!.Seg.mean() + outputs.Decoder2!.Sdf!.mean();
        loss.backward();
        step.Optimizer.step();
    }

    private static double Median(Action run, int runs)
    {
        run();
        var times = Enumerable.Range(0, runs).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            run();
            return clock.Elapsed.TotalSeconds;
        }).Order().ToArray();
        return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    }
}
