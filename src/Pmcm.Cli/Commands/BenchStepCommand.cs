using System.CommandLine;
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
/// so the cost of the loss machinery (PML, CML, diversity, supervision) can be read off as a ratio; wall and
/// process CPU time, the latter being what to compare on a machine shared with other work.
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
        var losses = new Option<string>("--losses") { Description = "Loss machinery: fused (C# kernels, the default) or composed (libtorch per-term composition)", DefaultValueFactory = _ => "fused" };
        losses.AcceptOnlyFromAmong("fused", "composed");
        var cml = new Option<string>("--cml")
        {
            Description = "CML's mapping networks and terms: fused (C# kernels, the default) or composed (libtorch operations, the reference implementation)",
            DefaultValueFactory = _ => "fused",
        };
        cml.AcceptOnlyFromAmong("fused", "composed");
        var precision = new Option<string>("--precision") { Description = "Convolutions in fp32 or bf16 (bf16 needs AVX512_BF16 or AMX on the CPU)", DefaultValueFactory = _ => "fp32" };
        var command = new Command("step", "Time one PMCM training step and the network's forward + backward alone (wall and CPU seconds)") { nFilters, batch, patch, runs, threads, losses, cml, precision, json };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var shape = Shape3.Parse(parse.GetValue(patch)!, patch.Name);
            if (shape.X % 16 != 0 || shape.Y % 16 != 0 || shape.Z % 16 != 0) throw new PmcmException($"--patch {shape}: every side must be a multiple of 16");
            var b = parse.GetValue(batch);
            if (b < 2) throw new PmcmException("--batch must be at least 2 (one labeled, one unlabeled)");
            var count = Math.Max(1, parse.GetValue(runs));
            TorchRuntime.SetThreads(parse.GetValue(threads));
            NativeHeap.RetainFreedMemory(); // as pmcm train runs

            manual_seed(0);
            var compute = Precisions.Parse(parse.GetValue(precision)!);
            Precisions.RequireSupported(compute, CPU);
            var model = new PmcmNet(new NetworkOptions { NFilters = parse.GetValue(nFilters), Precision = compute });
            var lossOptions = PmcmLossOptions.La with { FusedKernels = parse.GetValue(losses) == "fused" };
            var fusedCml = parse.GetValue(cml) == "fused";
            var (segToSdf, sdfToSeg) = (new MappingNet(2, 8) { Fused = fusedCml }, new MappingNet(2, 8) { Fused = fusedCml });
            var step = new PmcmStep(model, segToSdf, sdfToSeg, lossOptions, new OptimizerOptions());
            using var data = NewDisposeScope();
            var image = randn(new long[] { b, 1, shape.X, shape.Y, shape.Z });
            var label = image[.., 0].gt(0.5).to_type(ScalarType.Int64);
            var sdf = image[.., 0].tanh();
            var input = new BatchTensors(image, label, sdf, b / 2);

            var whole = BenchTiming.Median(() =>
            {
                using var quiet = TorchGcGuard.Enter();
                step.Train(input, 6000);
            }, count);
            var network = BenchTiming.Median(() => NetworkOnly(model, step, image), count);
            var outputs = RandomOutputs(b, parse.GetValue(nFilters), shape);
            var machinery = BenchTiming.Median(() => LossesOnly(outputs, input, segToSdf, sdfToSeg, lossOptions), count);
            var ratio = whole.Wall / network.Wall;

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["n_filters"] = parse.GetValue(nFilters), ["batch"] = b, ["patch"] = new[] { shape.X, shape.Y, shape.Z },
                    ["threads"] = get_num_threads(), ["losses"] = parse.GetValue(losses)!, ["cml"] = parse.GetValue(cml)!, ["precision"] = parse.GetValue(precision)!,
                    ["step_seconds"] = whole.Wall, ["forward_backward_seconds"] = network.Wall, ["loss_overhead"] = ratio - 1,
                    ["step_cpu_seconds"] = whole.Cpu, ["forward_backward_cpu_seconds"] = network.Cpu, ["loss_cpu_overhead"] = whole.Cpu / network.Cpu - 1,
                    ["losses_seconds"] = machinery.Wall, ["losses_cpu_seconds"] = machinery.Cpu,
                }, Ui.Json));
                return 0;
            }
            var table = new Table().AddColumn("measure").AddColumn(new TableColumn("median wall s").RightAligned()).AddColumn(new TableColumn("median CPU s").RightAligned());
            table.AddRow("whole PMCM step (forward, all losses, backward, SGD)", Seconds(whole.Wall), Seconds(whole.Cpu));
            table.AddRow("network forward + backward alone", Seconds(network.Wall), Seconds(network.Cpu));
            table.AddRow("loss machinery overhead", $"{(ratio - 1) * 100:F1} %", $"{(whole.Cpu / network.Cpu - 1) * 100:F1} %");
            table.AddRow("loss machinery alone (all terms, forward + backward, on fixed outputs)", Seconds(machinery.Wall), Seconds(machinery.Cpu));
            table.Caption($"n_filters {parse.GetValue(nFilters)}, batch {b}, patch {shape}, {get_num_threads()} threads, {parse.GetValue(losses)} losses, CML {parse.GetValue(cml)}, {parse.GetValue(precision)}, {count} runs");
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

    // Decoder outputs of the network's shapes as gradient leaves: the loss machinery timed without the network.
    private static SegmentationOutputs RandomOutputs(int batch, int nFilters, Shape3 patch)
    {
        long[] heads = [batch, 2, patch.X, patch.Y, patch.Z];
        long[] features = [batch, nFilters, patch.X, patch.Y, patch.Z];
        DecoderOutput Decoder() => new(randn(heads), randn(heads), randn(features).relu());
        return new SegmentationOutputs(Decoder(), Decoder());
    }

    private static void LossesOnly(SegmentationOutputs outputs, BatchTensors batch, MappingNet segToSdf, MappingNet sdfToSeg, PmcmLossOptions options)
    {
        using var quiet = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        DecoderOutput Leaves(DecoderOutput d) => new(d.Seg.detach().requires_grad_(), d.Sdf!.detach().requires_grad_(), d.Features.detach().requires_grad_());
        var leaves = new SegmentationOutputs(Leaves(outputs.Decoder1), Leaves(outputs.Decoder2!));
        PmcmLoss.Compute(leaves, batch, segToSdf, sdfToSeg, 6000, options).Total.backward();
    }

    private static string Seconds(double seconds) => seconds.ToString("F3", CultureInfo.InvariantCulture);
}
