using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.IO;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Reference;

/// <summary>One compared quantity: its reference value (or norm), ours, and the error measure used.</summary>
public sealed record Comparison(string Group, string Name, double Reference, double Ours, double Error, double Tolerance, string Measure)
{
    public bool Pass => Error <= Tolerance && !double.IsNaN(Error);
}

/// <summary>Result of reproducing one dumped reference training step.</summary>
public sealed record ReferenceReport(double TotalLoss, double ReferenceTotalLoss, IReadOnlyList<Comparison> Comparisons, IReadOnlyList<string> Skipped)
{
    public double MaxError(string groupPrefix) => Comparisons.Where(c => c.Group.StartsWith(groupPrefix, StringComparison.Ordinal) && !c.Measure.StartsWith("abs", StringComparison.Ordinal)).Select(c => c.Error).DefaultIfEmpty(0).Max();
    public bool Pass => Comparisons.All(c => c.Pass);
}

/// <summary>
/// Reproduces one training step of the authors' PyTorch code from a vectors directory (see
/// shared/vectors/README.md): loads <c>init/*.pth</c> and <c>batch/*.npy</c>, runs the LA step with dropout off
/// and BatchNorm in training mode at the dumped iteration, and compares every logged term and weight, the four
/// outputs and every gradient. Our numbers come from running the step; the dump is only compared against.
/// Tolerances (vectors/README.md): terms and outputs relative 1e-4; gradients 1e-3 of the tensor's norm, and
/// absolute 1e-6 for biases of convolutions that feed a BatchNorm (they receive only rounding noise).
/// Some float32 gradients of this step are ill-conditioned (argmax and uncertainty-mask decisions flip on
/// rounding-level differences, and BatchNorm backward cancels): the reference's own gradients differ from a
/// float64 evaluation of the same step by more than 1e-3. A gradient outside the fixed tolerance is therefore
/// judged against the step evaluated in float64: it passes only if our distance from the reference or from the
/// float64 gradient is no larger than the reference's own distance from float64, and the report marks it ("cond").
/// </summary>
public static class ReferenceCheck
{
    public const double TermTolerance = 1e-4;
    public const double OutputTolerance = 1e-4;
    public const double GradTolerance = 1e-3;
    public const double NoiseGradTolerance = 1e-6;

    public static ReferenceReport Run(string directory)
    {
        string PathOf(params string[] parts) => Path.Combine([directory, .. parts]);
        var lossesPath = PathOf("losses.json");
        if (!File.Exists(lossesPath)) throw new PmcmException($"{directory}: no losses.json (not a vectors directory)");
        using var json = JsonDocument.Parse(File.ReadAllText(lossesPath));
        var root = json.RootElement;
        var iteration = root.GetProperty("iter_num_at_forward").GetInt64();
        var referenceTotal = root.GetProperty("total_loss").GetDouble();

        using var scope = NewDisposeScope();
        var image = LoadTensor(PathOf("batch", "image.npy"));
        var label = LoadTensor(PathOf("batch", "label.npy")).to_type(ScalarType.Int64);
        var sdf = LoadTensor(PathOf("batch", "sdf.npy"));
        var labeledCount = LabeledCount(root, (int)image.shape[0]);

        var nFilters = FilterCount(PathOf("init", "model.pth"));
        var netOptions = new NetworkOptions { NFilters = nFilters, DropoutRate = 0 };
        var model = new PmcmNet(netOptions);
        var segToSdf = new MappingNet(netOptions.Classes, netOptions.MappingChannels);
        var sdfToSeg = new MappingNet(netOptions.Classes, netOptions.MappingChannels);
        PyTorchStateDict.Load(model, PathOf("init", "model.pth"));
        PyTorchStateDict.Load(segToSdf, PathOf("init", "seg_bd_map.pth"));
        PyTorchStateDict.Load(sdfToSeg, PathOf("init", "bd_seg_map.pth"));

        var trainer = new PmcmStep(model, segToSdf, sdfToSeg, PmcmLossOptions.La, OptimizerOptions.FromReference(root));
        StepResult result;
        using (TorchGcGuard.Enter()) result = trainer.ForwardBackward(new BatchTensors(image, label, sdf, labeledCount), iteration);

        var comparisons = new List<Comparison>();
        var skipped = new List<string>();
        CompareScalars(root, result.Terms, comparisons, skipped);
        comparisons.Add(Scalar("total", "total_loss", referenceTotal, result.Terms.Total.item<float>()));
        CompareOutputs(PathOf("outputs"), result.Outputs, comparisons);
        var grads = PathOf("grads");
        var ours = Gradients(model, segToSdf, sdfToSeg);
        CompareGradients(grads, ours, comparisons);
        if (comparisons.Any(c => c.Group.StartsWith("grads", StringComparison.Ordinal) && !c.Pass))
            RejudgeByConditioning(directory, netOptions, image, label, sdf, labeledCount, iteration, root, ours, comparisons);
        trainer.OptimizerStep();

        return new ReferenceReport(result.Terms.Total.item<float>(), referenceTotal, comparisons, skipped);
    }

    private static void CompareScalars(JsonElement root, PmcmLossTerms terms, List<Comparison> comparisons, List<string> skipped)
    {
        foreach (var scalar in root.GetProperty("scalars").EnumerateObject())
        {
            var reference = scalar.Value.GetDouble();
            if (terms.Terms.TryGetValue(scalar.Name, out var term))
                comparisons.Add(Scalar("terms", scalar.Name, reference, term.item<float>()));
            else if (terms.Weights.TryGetValue(scalar.Name, out var weight))
                comparisons.Add(Scalar("terms", scalar.Name, reference, weight));
            else if (scalar.Name == "lr")
                continue;
            else
                skipped.Add($"{scalar.Name} = {reference} (a reference option PMCM does not use)");
        }
    }

    private static Comparison Scalar(string group, string name, double reference, double ours)
    {
        var error = reference == 0 ? Math.Abs(ours) : Math.Abs(ours - reference) / Math.Abs(reference);
        return new Comparison(group, name, reference, ours, error, TermTolerance, "rel");
    }

    private static void CompareOutputs(string folder, SegmentationOutputs outputs, List<Comparison> comparisons)
    {
        if (!Directory.Exists(folder)) return;
        var ours = new Dictionary<string, Tensor>
        {
            ["seg_logits_dec1"] = outputs.Decoder1.Seg,
            ["seg_logits_dec2"] = outputs.Decoder2!.Seg,
            ["bd_out_dec1"] = outputs.Decoder1.Sdf!,
            ["bd_out_dec2"] = outputs.Decoder2!.Sdf!,
        };
        foreach (var (name, tensor) in ours)
        {
            var file = Path.Combine(folder, name + ".npy");
            if (!File.Exists(file)) continue;
            comparisons.Add(NormRelative("outputs", name, LoadTensor(file), tensor.detach(), OutputTolerance));
        }
    }

    /// <summary>Gradients by group ("grads/model", …) and parameter name, with the set of names that feed a BatchNorm.</summary>
    private sealed record GradientSet(Dictionary<string, Dictionary<string, Tensor>> Groups, HashSet<string> FeedingBatchNorm);

    private static GradientSet Gradients(PmcmNet model, MappingNet segToSdf, MappingNet sdfToSeg)
    {
        var groups = new Dictionary<string, Dictionary<string, Tensor>>();
        var feeding = new HashSet<string>();
        foreach (var (net, module) in new (string, nn.Module)[] { ("model", model), ("seg_bd_map", segToSdf), ("bd_seg_map", sdfToSeg) })
        {
            var buffers = module.named_buffers().Select(b => b.name).ToHashSet();
            groups[$"grads/{net}"] = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad ?? zeros_like(p.parameter));
            foreach (var (name, _) in module.named_parameters())
                if (FeedsBatchNorm(name, buffers)) feeding.Add($"grads/{net}/{name}");
        }
        return new GradientSet(groups, feeding);
    }

    private static void CompareGradients(string folder, GradientSet ours, List<Comparison> comparisons)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var (group, parameters) in ours.Groups)
        {
            var netFolder = Path.Combine(folder, group["grads/".Length..]);
            if (!Directory.Exists(netFolder)) continue;
            foreach (var file in Directory.GetFiles(netFolder, "*.npy").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (!parameters.TryGetValue(name, out var grad))
                    throw new PmcmException($"{file}: the network has no parameter '{name}'");
                var reference = LoadTensor(file);
                comparisons.Add(ours.FeedingBatchNorm.Contains($"{group}/{name}")
                    ? Absolute(group, name, reference, grad)
                    : NormRelative(group, name, reference, grad, GradTolerance));
            }
        }
    }

    /// <summary>
    /// Re-runs the step in float64 and re-judges each failing gradient: the tolerance becomes the reference's own
    /// distance from the float64 gradient (relative, or absolute for BatchNorm-fed biases), the error the smaller of
    /// our distances from the reference and from the float64 gradient. So a gradient passes if it lies within the
    /// reference's rounding of the reference, or is at least as close to float64 as the reference (a sum taken in
    /// float64 can be far from the reference's float32 noise and still be the better answer).
    /// </summary>
    private static void RejudgeByConditioning(string directory, NetworkOptions netOptions, Tensor image, Tensor label, Tensor sdf,
        int labeledCount, long iteration, JsonElement root, GradientSet ours, List<Comparison> comparisons)
    {
        using var scope = NewDisposeScope();
        var model = new PmcmNet(netOptions);
        var segToSdf = new MappingNet(netOptions.Classes, netOptions.MappingChannels);
        var sdfToSeg = new MappingNet(netOptions.Classes, netOptions.MappingChannels);
        PyTorchStateDict.Load(model, Path.Combine(directory, "init", "model.pth"));
        PyTorchStateDict.Load(segToSdf, Path.Combine(directory, "init", "seg_bd_map.pth"));
        PyTorchStateDict.Load(sdfToSeg, Path.Combine(directory, "init", "bd_seg_map.pth"));
        model.to(ScalarType.Float64);
        segToSdf.to(ScalarType.Float64);
        sdfToSeg.to(ScalarType.Float64);
        var trainer = new PmcmStep(model, segToSdf, sdfToSeg, PmcmLossOptions.La, OptimizerOptions.FromReference(root));
        using (TorchGcGuard.Enter())
            trainer.ForwardBackward(new BatchTensors(image.to_type(ScalarType.Float64), label, sdf.to_type(ScalarType.Float64), labeledCount), iteration);
        var exact = Gradients(model, segToSdf, sdfToSeg);

        for (var i = 0; i < comparisons.Count; i++)
        {
            var c = comparisons[i];
            if (c.Pass || !exact.Groups.TryGetValue(c.Group, out var group)) continue;
            var reference = LoadTensor(Path.Combine(directory, "grads", c.Group["grads/".Length..], c.Name + ".npy")).to_type(ScalarType.Float64);
            var truth = group[c.Name];
            double Error(Tensor gradient) => c.Measure == "abs"
                ? (gradient - truth).abs().max().item<double>()
                : (gradient - truth).norm().item<double>() / Math.Max(truth.norm().item<double>(), double.Epsilon);
            var ourError = Math.Min(c.Error, Error(ours.Groups[c.Group][c.Name].to_type(ScalarType.Float64)));
            comparisons[i] = c with { Error = ourError, Tolerance = Math.Max(c.Tolerance, Error(reference)), Measure = c.Measure + "/cond" };
        }
    }

    /// <summary>A convolution bias right before a BatchNorm (layer i+1 has running statistics) gets only rounding noise.</summary>
    private static bool FeedsBatchNorm(string parameter, HashSet<string> buffers)
    {
        if (!parameter.EndsWith(".bias", StringComparison.Ordinal)) return false;
        var path = parameter[..^".bias".Length];
        var dot = path.LastIndexOf('.');
        if (dot < 0 || !int.TryParse(path[(dot + 1)..], out var index)) return false;
        return buffers.Contains($"{path[..dot]}.{index + 1}.running_mean");
    }

    private static Comparison NormRelative(string group, string name, Tensor reference, Tensor ours, double tolerance)
    {
        var refNorm = reference.norm().item<float>();
        var diff = (ours.to_type(ScalarType.Float32) - reference).norm().item<float>();
        var error = refNorm == 0 ? diff : diff / refNorm;
        return new Comparison(group, name, refNorm, ours.norm().item<float>(), error, tolerance, "rel");
    }

    private static Comparison Absolute(string group, string name, Tensor reference, Tensor ours)
    {
        var diff = (ours - reference).abs().max().item<float>();
        return new Comparison(group, name, reference.norm().item<float>(), ours.norm().item<float>(), diff, NoiseGradTolerance, "abs");
    }

    private static Tensor LoadTensor(string path)
    {
        if (!File.Exists(path)) throw new PmcmException($"{path}: missing");
        var array = NpyFile.Read(path);
        return tensor(array.Data, array.Shape);
    }

    private static int LabeledCount(JsonElement root, int batchSize) =>
        root.TryGetProperty("meta", out var meta) && meta.TryGetProperty("flags", out var flags) && flags.TryGetProperty("labeled_bs", out var bl)
            ? bl.GetInt32()
            : batchSize / 2;

    /// <summary>n_filters from the first convolution's weight (n, 1, 3, 3, 3), so any dump works.</summary>
    private static int FilterCount(string modelPath)
    {
        using var stream = File.Exists(modelPath) ? File.OpenRead(modelPath) : throw new PmcmException($"{modelPath}: missing");
        var dict = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(stream);
        const string key = "encoder.block_one.conv.0.weight";
        if (dict[key] is not Tensor weight) throw new PmcmException($"{modelPath}: no '{key}' (not a PMCM state_dict)");
        var n = (int)weight.shape[0];
        foreach (var value in dict.Values) (value as Tensor)?.Dispose();
        return n;
    }
}
