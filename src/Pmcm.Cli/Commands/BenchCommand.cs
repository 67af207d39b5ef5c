using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pmcm.Core.Inference;
using Pmcm.Core.Morphology;
using Pmcm.Core.Metrics;
using Pmcm.Core.Volumes;
using Pmcm.Learning;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Networks;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm bench edt [--size X,Y,Z] [--runs N] [--json]`: timings of the distance transform, SDF and surface metrics.
/// `pmcm bench infer [--size X,Y,Z] [--patch X,Y,Z] [--stride X,Y,Z] [--n-filters N] [--batches 1,8] [--precision fp32,bf16] [--runs N] [--json]`:
/// sliding-window inference seconds per volume, wall and process CPU, for every batch size and precision (random
/// weights: timing does not depend on them).
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure how fast the core algorithms run on this machine");
        bench.Subcommands.Add(Edt());
        bench.Subcommands.Add(BenchStepCommand.Create());
        bench.Subcommands.Add(BenchCmlCommand.Create());
        bench.Subcommands.Add(Infer());
        return bench;
    }

    private static Command Infer()
    {
        var size = new Option<string>("--size") { Description = "Volume size X,Y,Z (default: a typical LA scan)", DefaultValueFactory = _ => "160,140,88" };
        var patch = new Option<string?>("--patch") { Description = "Window size X,Y,Z, multiples of 16 (default: LA's 112,112,80)" };
        var stride = new Option<string?>("--stride") { Description = "Window stride X,Y,Z (default: LA's 18,18,4), capped at the patch" };
        var nFilters = new Option<int>("--n-filters") { Description = "Network base filter count", DefaultValueFactory = _ => 16 };
        var batches = new Option<string>("--batches") { Description = "Windows-per-batch values to compare, comma-separated", DefaultValueFactory = _ => "1,8" };
        var runs = new Option<int>("--runs") { Description = "Timed runs per setting (the median is reported)", DefaultValueFactory = _ => 1 };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var precision = new Option<string>("--precision") { Description = "Precisions to compare, comma-separated: fp32, bf16 or fp32,bf16", DefaultValueFactory = _ => "fp32" };
        var json = CommonOptions.Json();
        var command = new Command("infer", "Time sliding-window inference of PmcmNet on one volume (LA's patch and strides unless given)")
        {
            size, patch, stride, nFilters, batches, runs, device, threads, precision, json,
        };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var shape = Shape3.Parse(parse.GetValue(size)!, size.Name);
            var count = parse.GetValue(runs);
            if (count < 1) throw new Pmcm.Core.PmcmException($"--runs must be at least 1, got {count}");
            var perBatch = ParsePositiveList(parse.GetValue(batches)!, "--batches");
            var torchDevice = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
            var precisions = Precisions.ParseList(parse.GetValue(precision)!);
            foreach (var p in precisions) Precisions.RequireSupported(p, torchDevice);
            TorchRuntime.SetThreads(parse.GetValue(threads));
            NativeHeap.RetainFreedMemory(); // as eval and predict run
            var net = new PmcmNet(new NetworkOptions { NFilters = parse.GetValue(nFilters), DropoutRate = 0 });
            var image = new float[shape.Count];
            var random = new Random(1);
            for (var i = 0; i < image.Length; i++) image[i] = (float)random.NextDouble();
            var la = SlidingWindowOptions.LeftAtrium;
            var windowPatch = parse.GetValue(patch) is { } patchText ? Shape3.Parse(patchText, patch.Name) : la.Patch;
            var windowStride = parse.GetValue(stride) is { } strideText ? Shape3.Parse(strideText, stride.Name) : la.Stride;
            var window = la with { Patch = windowPatch, Stride = windowStride.AtMost(windowPatch) };

            var results = new List<(Precision Precision, int Batch, double Seconds, double CpuSeconds, int Windows)>();
            foreach (var p in precisions)
                foreach (var b in perBatch)
                {
                    var inferer = new SlidingWindowInferer(net, torchDevice, new InferenceOptions(window with { WindowsPerBatch = b }, Precision: p));
                    var windows = 0;
                    var process = Process.GetCurrentProcess();
                    var cpu = process.TotalProcessorTime;
                    var ms = MedianMilliseconds(() => windows = inferer.Segment(image, shape).Windows, count);
                    process.Refresh();
                    // Process CPU over the warm-up and the timed runs, per run.
                    var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds / (count + 1);
                    results.Add((p, b, ms / 1000, cpuSeconds, windows));
                }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["size"] = new[] { shape.X, shape.Y, shape.Z },
                    ["n_filters"] = net.Options.NFilters,
                    ["patch"] = new[] { window.Patch.X, window.Patch.Y, window.Patch.Z },
                    ["stride"] = new[] { window.Stride.X, window.Stride.Y, window.Stride.Z },
                    ["windows"] = results[0].Windows,
                    ["runs"] = count,
                    ["seconds_per_volume"] = results.Where(r => r.Precision == precisions[0]).ToDictionary(r => r.Batch.ToString(CultureInfo.InvariantCulture), r => r.Seconds),
                    ["by_precision"] = precisions.ToDictionary(Precisions.Name, p => results.Where(r => r.Precision == p).ToDictionary(
                        r => r.Batch.ToString(CultureInfo.InvariantCulture),
                        r => new Dictionary<string, double> { ["seconds_per_volume"] = r.Seconds, ["cpu_seconds_per_volume"] = r.CpuSeconds })),
                }, Ui.Json));
                return 0;
            }
            var table = new Table().AddColumn("precision").AddColumn(new TableColumn("windows per batch").RightAligned())
                .AddColumn(new TableColumn("s / volume").RightAligned()).AddColumn(new TableColumn("ms / window").RightAligned())
                .AddColumn(new TableColumn("CPU s / volume").RightAligned());
            foreach (var (p, b, seconds, cpuSeconds, windows) in results)
                table.AddRow(Precisions.Name(p), b.ToString(CultureInfo.InvariantCulture), seconds.ToString("F2", CultureInfo.InvariantCulture),
                    (seconds * 1000 / windows).ToString("F0", CultureInfo.InvariantCulture), cpuSeconds.ToString("F2", CultureInfo.InvariantCulture));
            table.Caption($"{shape} volume, {results[0].Windows} windows of {window.Patch} (stride {window.Stride}), n_filters {net.Options.NFilters}, " +
                          $"{parse.GetValue(device)}, {count} run(s) after a warm-up");
            Ui.Out().Write(table);
            return 0;
        }));
        return command;
    }

    private static int[] ParsePositiveList(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
                throw new Pmcm.Core.PmcmException($"{option} '{text}': expected positive integers separated by commas");
        if (values.Length == 0) throw new Pmcm.Core.PmcmException($"{option} '{text}': expected positive integers separated by commas");
        return values;
    }

    private static Command Edt()
    {
        var size = new Option<string>("--size") { Description = "Mask size X,Y,Z", DefaultValueFactory = _ => "256,256,96" };
        var runs = new Option<int>("--runs") { Description = "Timed runs per step (the median is reported)", DefaultValueFactory = _ => 5 };
        var json = CommonOptions.Json();
        var command = new Command("edt", "Time the Euclidean distance transform, the SDF and HD95 + ASD on two blob masks") { size, runs, json };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var shape = Shape3.Parse(parse.GetValue(size)!, size.Name);
            var count = parse.GetValue(runs);
            if (count < 1) throw new Pmcm.Core.PmcmException($"--runs must be at least 1, got {count}");
            var prediction = Blob(shape, shift: 0, seed: 1);
            var reference = Blob(shape, shift: 3, seed: 2);

            var steps = new (string Name, Action Run)[]
            {
                ("EDT (one mask)", () => EuclideanDistance.Transform(prediction, shape)),
                ("SDF (two EDTs)", () => SignedDistance.Compute(reference, shape)),
                ("Dice + Jaccard + HD95 + ASD", () => SegmentationMetrics.Compute(prediction, reference, shape)),
            };
            var results = steps.Select(s => (s.Name, Median: MedianMilliseconds(s.Run, count))).ToList();

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["size"] = new[] { shape.X, shape.Y, shape.Z },
                    ["runs"] = count,
                    ["threads"] = Environment.ProcessorCount,
                    ["median_ms"] = results.ToDictionary(r => r.Name, r => r.Median),
                }, Ui.Json));
                return 0;
            }
            var table = new Table().AddColumn("step").AddColumn(new TableColumn("median ms").RightAligned());
            foreach (var (name, median) in results) table.AddRow(name, median.ToString("F1", CultureInfo.InvariantCulture));
            table.Caption($"{shape} voxels, {count} runs, {Environment.ProcessorCount} threads");
            Ui.Out().Write(table);
            return 0;
        }));
        return command;
    }

    private static double MedianMilliseconds(Action run, int runs)
    {
        run(); // warm-up: JIT and first-touch allocation are not what is being measured
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    }

    // An ellipsoid filling about half of each axis with a wavy surface, so distances vary as in real masks.
    private static bool[] Blob(Shape3 shape, int shift, int seed)
    {
        var random = new Random(seed);
        var (a, b, c) = (random.NextDouble() * Math.PI, random.NextDouble() * Math.PI, random.NextDouble() * Math.PI);
        var mask = new bool[shape.Count];
        Parallel.For(0, shape.X, x =>
        {
            for (var y = 0; y < shape.Y; y++)
            for (var z = 0; z < shape.Z; z++)
            {
                var u = (x - shape.X / 2.0 - shift) / (shape.X * 0.3);
                var v = (y - shape.Y / 2.0) / (shape.Y * 0.28);
                var w = (z - shape.Z / 2.0) / (shape.Z * 0.3);
                var wave = 0.1 * Math.Sin(5 * u + a) + 0.08 * Math.Sin(4 * v + b) + 0.06 * Math.Sin(6 * w + c);
                mask[shape.Index(x, y, z)] = u * u + v * v + w * w < 1 + wave;
            }
        });
        return mask;
    }
}
