using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.Runs;
using Pmcm.Core.Transforms;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <param name="Checkpoint">"last", "best", or the path of a checkpoint file of this run (e.g. a copy of an earlier last.ckpt).</param>
/// <param name="Batches">Training batches to average over, drawn as training draws them from <paramref name="Seed"/>.</param>
/// <param name="LossWeights">Weights to split the step with instead of the run's (what a term would move at another
/// weight, from the same weights of the network); null: the run's.</param>
public sealed record GradientDiagnosisOptions(string RunDirectory, string Checkpoint = "last", int Batches = 16, int Seed = 1, int? Threads = null,
    LossWeightOverrides? LossWeights = null);

/// <summary>One loss part over the diagnosed batches: its weighted value and its gradient, each a mean over batches.</summary>
/// <param name="Value">The weighted summand's value (the part as it enters the total).</param>
/// <param name="ShareStd">Standard deviation of the share over batches.</param>
public sealed record PartGradient(string Part, double Value, double Norm, double Cosine, double Share, double ShareStd);

/// <param name="Iteration">The checkpoint's iteration; the ramped weights are those of this iteration.</param>
/// <param name="ClippedBatches">Batches whose total gradient norm exceeds the run's limit (what training would have scaled down).</param>
/// <param name="LossWeights">The weights the step was split with, as run.json writes them ("paper", or the changed ones).</param>
public sealed record GradientDiagnosisResult(
    string RunDirectory, string Method, string Checkpoint, long Iteration, int Batches,
    double MeanTotalNorm, double MaxTotalNorm, double MaxGradientNorm, int ClippedBatches, IReadOnlyList<PartGradient> Parts,
    string LossWeights);

/// <summary>
/// How each term of a trained PMCM run's objective moves its network: the run's checkpoint is loaded, training
/// batches are drawn as training draws them, and each batch's gradient (network in training mode, dropout on) is
/// split into its loss parts by <see cref="GradientShares"/>. Only the segmentation network's parameters count: the
/// mapping networks learn from the CML terms alone and are not what segments. Nothing is written to the run folder
/// except the data cache training keeps there.
/// </summary>
public static class GradientDiagnosis
{
    /// <summary>Mixes the batch index into the dropout seed, as training mixes the iteration.</summary>
    private const long BatchSeedStride = 1_000_003;

    public static GradientDiagnosisResult Run(GradientDiagnosisOptions options)
    {
        if (options.Batches < 1) throw new PmcmException($"--batches {options.Batches} must be at least 1");
        var record = RunRecord.ReadFolder(options.RunDirectory);
        var recorded = TrainingOptions.FromRecord(record, options.RunDirectory);
        var o = recorded with { Threads = options.Threads, LossWeights = options.LossWeights ?? recorded.LossWeights };
        var method = o.MethodDescriptor;
        var split = record.Split ?? throw new PmcmException($"{options.RunDirectory}: the run record holds no split");
        TorchRuntime.SetThreads(o.Threads);
        var device = TorchRuntime.ResolveDevice(o.Device);
        var files = new RunFiles(options.RunDirectory);
        var checkpoint = options.Checkpoint.Trim().ToLowerInvariant() switch
        {
            "last" => files.LastCheckpoint,
            "best" => files.BestCheckpoint,
            _ => options.Checkpoint,
        };
        if (!File.Exists(checkpoint)) throw new PmcmException($"{checkpoint}: no such checkpoint");

        manual_seed(o.Seed);
        using var model = method.CreateNetwork(o.Network);
        model.to(device);
        if (method.CreateStep(model, o.Loss, o.Optimizer) is not PmcmStep step)
            throw new PmcmException($"{options.RunDirectory}: method '{record.Method}' has no PMCM loss parts to split; use a run of pmcm or one of its ablations");
        foreach (var module in step.Modules.Values) module.to(device);
        using var average = o.EmaDecay > 0 ? method.CreateNetwork(o.Network).to(device) : null;
        var modules = average is null ? step.Modules : new Dictionary<string, nn.Module>(step.Modules) { [PmcmTrainer.AverageModule] = average };
        var state = TrainingCheckpoint.Load(checkpoint, modules, step.Optimizer);

        var data = TrainingData.Open(o.DataDirectory, files.Directory, o.Grid);
        var trainingCases = split.TrainingCases;
        data.CheckCases(trainingCases.Skip(split.Labeled.Count), split.Labeled);
        var cases = trainingCases.Select((name, i) => new Lazy<Sample>(() => data.LoadSample(name, labeled: i < split.Labeled.Count))).ToArray();
        var sampler = new TwoStreamBatchSampler(split.Labeled.Count, trainingCases.Count - split.Labeled.Count, o.Sampler, (ulong)options.Seed);
        using var producer = new BatchProducer(trainingCases, i => cases[i].Value, sampler, new TrainingAugmentation(o.Augmentation),
            new BatchProducerOptions(AugmentationSeed: (ulong)options.Seed));

        var parameters = model.parameters().Select(p => (Tensor)p).ToList();
        var splits = new List<(GradientSplit Split, IReadOnlyDictionary<string, double> Values)>();
        for (var k = 0; k < options.Batches; k++)
        {
            var batch = producer.Next();
            manual_seed(options.Seed * BatchSeedStride + k);
            splits.Add(SplitOne(step, batch, state.Iteration, device, parameters));
        }
        return Summarise(options with { Checkpoint = Path.GetFullPath(checkpoint) }, record.Method, state.Iteration, o.MaxGradientNorm, o.LossWeights, splits);
    }

    private static (GradientSplit, IReadOnlyDictionary<string, double>) SplitOne(PmcmStep step, TrainingBatch batch, long iteration, Device device, IReadOnlyList<Tensor> parameters)
    {
        // As a training step: no collection may free a TorchSharp scalar while libtorch reads it.
        using var quiet = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        var terms = step.Losses(BatchTensors.From(batch, device), iteration);
        var values = terms.Parts.ToDictionary(part => part.Key, part => PmcmStep.Value(part.Value));
        return (GradientShares.Of(terms.Parts, parameters), values);
    }

    private static GradientDiagnosisResult Summarise(GradientDiagnosisOptions options, string method, long iteration, double maxNorm, LossWeightOverrides weights,
        IReadOnlyList<(GradientSplit Split, IReadOnlyDictionary<string, double> Values)> splits)
    {
        var names = splits[0].Split.Parts.Select(p => p.Part).ToList();
        var parts = names.Select((name, i) =>
        {
            var shares = splits.Select(s => s.Split.Parts[i].Share).ToList();
            var mean = shares.Average();
            var std = shares.Count > 1 ? Math.Sqrt(shares.Sum(s => (s - mean) * (s - mean)) / (shares.Count - 1)) : 0;
            return new PartGradient(name, splits.Average(s => s.Values[name]), splits.Average(s => s.Split.Parts[i].Norm),
                splits.Average(s => s.Split.Parts[i].Cosine), mean, std);
        }).ToList();
        var norms = splits.Select(s => s.Split.TotalNorm).ToList();
        return new GradientDiagnosisResult(Path.GetFullPath(options.RunDirectory), method, options.Checkpoint, iteration, splits.Count,
            norms.Average(), norms.Max(), maxNorm, maxNorm > 0 ? norms.Count(n => n > maxNorm) : 0, parts, weights.ToString());
    }
}
