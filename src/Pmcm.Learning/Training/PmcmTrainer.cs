using System.Diagnostics;
using Pmcm.Core.Data;
using Pmcm.Core.Metrics;
using Pmcm.Core.Runs;
using Pmcm.Core.Transforms;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// A whole training run (docs/method.md §6–7): dataset and split, the background batch producer, one
/// <see cref="ITrainingStep"/> of the chosen method per iteration, periodic sliding-window validation of decoder 1, the best and last
/// checkpoints, the logs and the curves. Deterministic on the CPU for a seed: the network is initialised
/// after <c>manual_seed(seed)</c>, dropout is re-seeded from (seed, iteration) at every step, and the batch
/// stream resumes from the checkpoint, so a resumed run continues the uninterrupted run's loss curve.
/// A non-finite loss stops the run with <see cref="NonFiniteLossException"/>; the last good checkpoint stays.
/// </summary>
public sealed class PmcmTrainer(TrainingOptions options)
{
    /// <summary>Mixes the iteration into the dropout seed (a large odd constant keeps the streams apart).</summary>
    private const long IterationSeedStride = 1_000_003;

    /// <summary>The checkpoint entry of the <see cref="WeightAverage"/>'s network.</summary>
    internal const string AverageModule = "average";

    public TrainingOptions Options { get; } = options;

    /// <summary>Called with a one-line message for non-fatal problems (e.g. the curves could not be drawn).</summary>
    public Action<string>? Warn { get; init; }

    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Lets a fresh run replace a run already in the folder (otherwise refused).</summary>
    public bool Overwrite { get; init; }

    public TrainingSummary Run(bool resume = false, CancellationToken cancellation = default)
    {
        var o = Options;
        o.Validate();
        TorchRuntime.SetThreads(o.Threads);
        var device = TorchRuntime.ResolveDevice(o.Device);
        Precisions.RequireSupported(o.Precision, device);
        var files = new RunFiles(o.RunDirectory);
        Directory.CreateDirectory(files.Directory);

        var data = TrainingData.Open(o.DataDirectory, files.Directory, o.Grid);
        // A resumed run keeps the cases its record names (without a checkpoint, resuming fails below and says so).
        var split = (resume && File.Exists(files.LastCheckpoint) ? RunRecord.ReadFolder(files.Directory).Split : null)
                    ?? DatasetSplit.Create(data.TrainList, data.TestList, o.Split);
        var method = o.MethodDescriptor;
        var trainingCases = method.UsesUnlabeled ? split.TrainingCases : split.Labeled;
        data.CheckCases(trainingCases.Skip(split.Labeled.Count), [.. split.Labeled, .. split.Validation]);
        if (!resume) RunFolderGuard.StartFresh(files, Overwrite);
        var validationCases = split.Validation.Select(data.LoadLabeled).ToList();

        manual_seed(o.Seed);
        using var model = method.CreateNetwork(o.Network);
        model.to(device);
        var step = method.CreateStep(model, o.Loss, o.Optimizer);
        foreach (var module in step.Modules.Values) module.to(device);
        // With a weight average, it is what validation scores and best.pth holds; the checkpoint keeps it for resuming.
        using var average = o.EmaDecay > 0 ? new WeightAverage(model, method.CreateNetwork(o.Network).to(device), o.EmaDecay) : null;
        var evaluated = average?.Network ?? model;
        var modules = average is null ? step.Modules : new Dictionary<string, nn.Module>(step.Modules) { [AverageModule] = average.Network };

        // Each case is loaded once, for the batch stream and the BatchNorm recalibration alike.
        var cases = trainingCases.Select((name, i) => new Lazy<Sample>(() => data.LoadSample(name, labeled: i < split.Labeled.Count))).ToArray();
        Sample Load(int i) => cases[i].Value;
        var augmentation = new TrainingAugmentation(o.Augmentation);
        var recalibration = new BatchNormRecalibration(trainingCases.Count, Load, augmentation, o.BatchNormRecalibration, o.BatchSize, (ulong)o.Seed);
        var producerOptions = new BatchProducerOptions(AugmentationSeed: (ulong)o.Seed);
        TrainingState state;
        TrainingLog log, validationLog;
        if (resume)
        {
            state = TrainingCheckpoint.Load(files.LastCheckpoint, modules, step.Optimizer);
            ResumeConsistency.ThrowIfConflicting(files.Directory, o.Record(split));
            log = TrainingLog.Resume(files.Log, state.Iteration);
            validationLog = TrainingLog.Resume(files.ValidationLog, state.Iteration + 1);
        }
        else
        {
            var sampler = new TwoStreamBatchSampler(split.Labeled.Count, trainingCases.Count - split.Labeled.Count, o.Sampler, (ulong)o.Seed);
            state = new TrainingState(0, new BatchResumePoint(0, sampler.State), double.NaN, -1);
            log = TrainingLog.Create(files.Log);
            validationLog = TrainingLog.Create(files.ValidationLog);
        }
        o.Record(split).Write(files.Record);
        RunFolderGuard.RemoveStaleTemporaries(files);

        using var producer = BatchProducer.Resume(trainingCases, Load, state.ResumePoint, augmentation, producerOptions);
        // Every case is in memory before the first step (the producer's loaders run in parallel; this thread helps).
        // Loading while steps run allocated enough to end a step's quiet region (TorchGcGuard) and let TorchSharp's
        // scalar use-after-free crash the first iterations (docs/performance.md).
        foreach (var loaded in cases) _ = loaded.Value;
        var evaluator = new Evaluator(new SlidingWindowInferer(evaluated, device, new InferenceOptions(o.Window)));
        var clock = Stopwatch.StartNew();
        var startIteration = state.Iteration;
        var loss = double.NaN;
        var pictures = new List<string>();

        for (var iteration = state.Iteration; iteration < o.Iterations; iteration++)
        {
            cancellation.ThrowIfCancellationRequested();
            var iterationClock = Stopwatch.StartNew();
            var batch = producer.Next(cancellation);
            manual_seed(o.Seed * IterationSeedStride + iteration);
            o.LearningRateSchedule.Apply(step.Optimizer, o.LearningRate, iteration, o.Iterations);
            var values = TrainOne(step, batch, iteration, device, average);
            loss = values["total"];
            // Wall seconds of the wait for the batch plus the step (validation not included), for the rate.
            log.Append(iteration, new Dictionary<string, double>(values) { [RunTime.Column] = iterationClock.Elapsed.TotalSeconds });

            var done = iteration + 1;
            state = state with { Iteration = done, ResumePoint = batch.ResumeAfter };
            var validate = (o.ValidateEvery > 0 && done % o.ValidateEvery == 0) || done == o.Iterations;
            if (validate)
            {
                var validationClock = Stopwatch.StartNew();
                recalibration.Apply(evaluated, device);
                if (validationCases.Count > 0)
                {
                    var summary = MetricSummary.Of(evaluator.Score(validationCases).Select(c => c.Scores).ToList());
                    validationLog.Append(done, new Dictionary<string, double>
                    {
                        [ValidationColumns.Dice] = summary.Dice.Mean, [ValidationColumns.Jaccard] = summary.Jaccard.Mean,
                        [ValidationColumns.Hd95] = summary.Hd95.Mean, [ValidationColumns.Asd] = summary.Asd.Mean,
                        [RunTime.Column] = validationClock.Elapsed.TotalSeconds,
                    });
                    if (double.IsNaN(state.BestDice) || summary.Dice.Mean > state.BestDice)
                    {
                        state = state with { BestDice = summary.Dice.Mean, BestIteration = done };
                        TrainingCheckpoint.Save(files.BestCheckpoint, modules, step.Optimizer, state);
                        PyTorchStateDict.Save(evaluated, files.BestWeights);
                    }
                }
                TrainingCheckpoint.Save(files.LastCheckpoint, modules, step.Optimizer, state);
                PyTorchStateDict.Save(evaluated, files.LastWeights);
                if (DrawCurves(files) && !pictures.Contains(files.Curves)) pictures.Add(files.Curves);
            }

            var rate = (done - startIteration) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            Progress?.Invoke(new TrainingProgress(done, o.Iterations, loss, state.BestDice, rate,
                TimeSpan.FromSeconds((o.Iterations - done) / Math.Max(rate, 1e-9)), validate));
        }

        // Without validation cases the last weights are the best we have.
        if (validationCases.Count == 0 && File.Exists(files.LastWeights)) File.Copy(files.LastWeights, files.BestWeights, overwrite: true);
        return new TrainingSummary(files.Directory, state.Iteration, state.BestDice, state.BestIteration, loss, clock.Elapsed, pictures);
    }

    private static IReadOnlyDictionary<string, double> TrainOne(ITrainingStep step, TrainingBatch batch, long iteration, Device device, WeightAverage? average)
    {
        using var quiet = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        var values = step.Train(BatchTensors.From(batch, device), iteration);
        average?.Update(iteration + 1);
        return values;
    }

    private bool DrawCurves(RunFiles files)
    {
        try
        {
            var rows = TrainingLog.Read(files.Log);
            var validation = TrainingLog.Read(files.ValidationLog);
            TrainingCurves.Series Of(string column, IReadOnlyList<(long Iteration, Dictionary<string, double> Values)> source, string name) =>
                new(name, source.Where(r => r.Values.ContainsKey(column)).Select(r => ((double)r.Iteration, r.Values[column])).ToList());
            TrainingCurves.Write(files.Curves,
                [Of("total", rows, "total loss"), Of("Labeled_loss/loss_seg_dice", rows, "supervised Dice loss")],
                Of(ValidationColumns.Dice, validation, "validation Dice"));
            return true;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
        {
            Warn?.Invoke($"training curves not drawn: SkiaSharp is unavailable ({e.GetBaseException().Message})");
            return false;
        }
    }
}
