using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.Volumes;
using Pmcm.Learning;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using Spectre.Console;
using static TorchSharp.torch;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm bench cml`: CML alone (docs/method.md §4: the 8 mapping-network calls of both decoders, the task-consistency
/// and cycle terms, and their backward) with the fused kernels and with the libtorch composition, in one run.
/// Reports the median wall time and the median process CPU time of a forward + backward, so the comparison holds
/// on a machine shared with other work.
/// </summary>
public static class BenchCmlCommand
{
    public static Command Create()
    {
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 4 };
        var patch = new Option<string>("--patch") { Description = "Patch X,Y,Z", DefaultValueFactory = _ => "48,48,32" };
        var runs = new Option<int>("--runs") { Description = "Timed runs per implementation (the median is reported)", DefaultValueFactory = _ => 5 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads, also used by the fused kernels (default: all cores)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("cml", "Time CML's forward + backward, fused kernels against the libtorch composition") { batch, patch, runs, threads, json };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var shape = Shape3.Parse(parse.GetValue(patch)!, patch.Name);
            var b = parse.GetValue(batch);
            if (b < 1) throw new PmcmException($"--batch must be at least 1, got {b}");
            var count = parse.GetValue(runs);
            if (count < 1) throw new PmcmException($"--runs must be at least 1, got {count}");
            TorchRuntime.SetThreads(parse.GetValue(threads));

            manual_seed(0);
            using var data = NewDisposeScope();
            var size = new long[] { b, 2, shape.X, shape.Y, shape.Z };
            // The decoders' probabilities and tanh'd SDFs, which PmcmLoss computes once for all terms.
            var probs = new[] { randn(size).softmax(1), randn(size).softmax(1) };
            var sdfs = new[] { randn(size).tanh(), randn(size).tanh() };
            var fused = Measure(probs, sdfs, fusedKernels: true, count);
            var composed = Measure(probs, sdfs, fusedKernels: false, count);

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["batch"] = b, ["patch"] = new[] { shape.X, shape.Y, shape.Z }, ["threads"] = get_num_threads(), ["runs"] = count,
                    ["fused_wall_seconds"] = fused.Wall, ["fused_cpu_seconds"] = fused.Cpu,
                    ["composed_wall_seconds"] = composed.Wall, ["composed_cpu_seconds"] = composed.Cpu,
                }, Ui.Json));
                return 0;
            }
            string F(double s) => s.ToString("F4", CultureInfo.InvariantCulture);
            var table = new Table().AddColumn("CML forward + backward").AddColumn(new TableColumn("median wall s").RightAligned()).AddColumn(new TableColumn("median CPU s").RightAligned());
            table.AddRow("fused kernels", F(fused.Wall), F(fused.Cpu));
            table.AddRow("libtorch composition", F(composed.Wall), F(composed.Cpu));
            table.Caption($"batch {b}, patch {shape}, {get_num_threads()} threads, {count} runs");
            Ui.Out().Write(table);
            return 0;
        }));
        return command;
    }

    private static (double Wall, double Cpu) Measure(Tensor[] probs, Tensor[] sdfs, bool fusedKernels, int runs)
    {
        var segToSdf = new MappingNet(2, 8) { Fused = fusedKernels };
        var sdfToSeg = new MappingNet(2, 8) { Fused = fusedKernels };
        void Run()
        {
            using var scope = NewDisposeScope();
            var p = probs.Select(t => t.detach().requires_grad_(true)).ToArray();
            var d = sdfs.Select(t => t.detach().requires_grad_(true)).ToArray();
            var terms = CyclicTaskConsistency.Compute(p, d, segToSdf, sdfToSeg, meanSquaredCycleForDecoder1: false);
            terms.SelectMany(t => new[] { t.SegToSdf, t.SdfToSeg, t.SegCycle, t.SdfCycle }).Aggregate((a, c) => a + c).backward();
        }
        return BenchTiming.Median(Run, runs);
    }
}
