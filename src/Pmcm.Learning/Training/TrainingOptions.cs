using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.Inference;
using Pmcm.Core.Runs;
using Pmcm.Core.Transforms;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;

namespace Pmcm.Learning.Training;

/// <summary>
/// Everything a training run depends on, resolved (docs/method.md §6–7). <see cref="For"/> gives the paper's
/// settings per preset; the CLI overrides single fields with <c>with</c>. Written as the run's <see cref="RunRecord"/>.
/// </summary>
public sealed record TrainingOptions
{
    public required string DataDirectory { get; init; }
    public required string RunDirectory { get; init; }
    public TrainingPreset Preset { get; init; } = TrainingPreset.La;
    /// <summary>The first N cases of train.list are labeled.</summary>
    public int Labeled { get; init; } = 8;
    public int Iterations { get; init; } = 15000;
    public Shape3 Patch { get; init; } = new(112, 112, 80);
    /// <summary>Rotation by k·90° and a flip before the crop (LA only in the paper).</summary>
    public bool RotateFlip { get; init; } = true;
    public int BatchSize { get; init; } = 4;
    public int LabeledBatchSize { get; init; } = 2;
    public int NFilters { get; init; } = 16;
    public int Classes { get; init; } = 2;
    public double DropoutRate { get; init; } = 0.5;
    public double LearningRate { get; init; } = 0.01;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>How the learning rate moves over the run; the paper keeps it constant.</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Constant;
    /// <summary>
    /// Decay of the weight average that validation scores and best.pth holds (<see cref="WeightAverage"/>);
    /// 0 = the network as trained (the reference's behaviour). On by default: without it, validation Dice of the
    /// LA runs swung by 15–20 points between checkpoints 25 iterations apart (docs/la-protocol-notes.md).
    /// </summary>
    public double EmaDecay { get; init; } = DefaultEmaDecay;
    /// <summary>
    /// Each step's gradient is scaled down to this L2 norm when larger; 0 = never (the reference's). On by default:
    /// one of three PMCM-8 runs on LA lost what it had learned in a single step whose gradient norm was 442, 200×
    /// the usual (UAL's cosine of a near-zero prototype, docs/la-protocol-notes.md); at 10 the limit touches about
    /// one step in 100–300 of a healthy run.
    /// </summary>
    public double MaxGradientNorm { get; init; } = DefaultMaxGradientNorm;

    /// <summary>About the last 100 iterations' weights: smooths the checkpoint-to-checkpoint swing, lags little.</summary>
    public const double DefaultEmaDecay = 0.99;
    /// <summary>About 6× the median gradient norm of the PMCM runs on LA at CPU scale (14× the supervised ones'), below the blow-ups (tens to hundreds).</summary>
    public const double DefaultMaxGradientNorm = 10;
    public int Seed { get; init; } = 1337;
    /// <summary>Validate (and checkpoint) every N iterations; 0 only checkpoints at the end.</summary>
    public int ValidateEvery { get; init; } = 400;
    /// <summary>Cases held out at the end of train.list; null = <see cref="SplitOptions.DefaultValidationCount"/>.</summary>
    public int? ValidationCount { get; init; }
    /// <summary>Sliding-window stride used for validation (LA 18,18,4; Pancreas 16,16,16); capped at the patch in <see cref="Window"/>.</summary>
    public Shape3 Stride { get; init; } = new(18, 18, 4);
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch intra-op threads; null = every core.</summary>
    public int? Threads { get; init; }
    public RampMode Ramp { get; init; } = RampMode.Scaled;
    /// <summary>Reference quirks turned into the paper's behaviour (`--correct`); none by default.</summary>
    public ReferenceCorrections Corrections { get; init; }
    /// <summary>Weights of PMCM's objective set away from the preset's (`--loss-weights`); none by default.</summary>
    public LossWeightOverrides LossWeights { get; init; } = LossWeightOverrides.None;
    /// <summary>PMCM, an ablation or a baseline (`--method`).</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.Pmcm;
    /// <summary>Integer factor by which volumes are shrunk when loaded (1 = native grid); metrics are then on that grid.</summary>
    public int Downsample { get; init; } = 1;
    /// <summary>Z-score each case's image again after loading (<see cref="TrainingGrid.Standardise"/>); off = the data as stored, the reference's.</summary>
    public bool Standardise { get; init; }
    /// <summary>
    /// Batches of training crops over which BatchNorm running statistics are recomputed (dropout off) before each
    /// validation and checkpoint; 0 keeps the reference's running averages (see <see cref="BatchNormRecalibration"/>).
    /// </summary>
    public int BatchNormRecalibration { get; init; }
    /// <summary>What the network's convolutions compute in (`--precision`); weights, checkpoints and losses are float32 in both.</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    public static TrainingOptions For(TrainingPreset preset, string dataDirectory, string runDirectory) => preset switch
    {
        TrainingPreset.La => new TrainingOptions { DataDirectory = dataDirectory, RunDirectory = runDirectory },
        TrainingPreset.Pancreas => new TrainingOptions
        {
            DataDirectory = dataDirectory,
            RunDirectory = runDirectory,
            Preset = TrainingPreset.Pancreas,
            Labeled = 6,
            Patch = new Shape3(96, 96, 96),
            RotateFlip = false,
            Stride = new Shape3(16, 16, 16),
        },
        _ => throw new PmcmException($"unknown preset {preset}"),
    };

    public int UnlabeledBatchSize => BatchSize - LabeledBatchSize;

    public void Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok) throw new PmcmException(message);
        }
        Require(Iterations > 0, $"--iterations {Iterations} must be positive");
        Require(Labeled > 0, $"--labeled {Labeled} must be positive");
        Require(LabeledBatchSize > 0 && LabeledBatchSize <= Labeled, $"--labeled-batch {LabeledBatchSize} must be between 1 and --labeled ({Labeled})");
        Require(BatchSize > LabeledBatchSize || !MethodDescriptor.UsesUnlabeled,
            $"--batch {BatchSize} must exceed --labeled-batch {LabeledBatchSize} (unlabeled samples are needed)");
        Require(Downsample >= 1, $"--downsample {Downsample} must be at least 1");
        Require(NFilters > 0, $"--n-filters {NFilters} must be positive");
        // Four stride-2 levels: every patch axis must divide by 16.
        Require(Patch.X % 16 == 0 && Patch.Y % 16 == 0 && Patch.Z % 16 == 0, $"--patch {Patch} must be a multiple of 16 on every axis (four down-sampling levels)");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"--lr {LearningRate} must be a positive number");
        Require(ValidateEvery >= 0, $"--val-every {ValidateEvery} must not be negative");
        Require(EmaDecay == 0 || (EmaDecay > 0 && EmaDecay < 1), $"--ema-decay {EmaDecay} must be 0 (off) or between 0 and 1");
        Require(MaxGradientNorm >= 0 && double.IsFinite(MaxGradientNorm), $"--clip-grad-norm {MaxGradientNorm} must be 0 (off) or a positive number");
        Require(BatchNormRecalibration >= 0, $"--bn-recalibration {BatchNormRecalibration} must not be negative");
        Require(Stride.X > 0 && Stride.Y > 0 && Stride.Z > 0, $"stride {Stride} must be positive");
        Require(LossWeights.IsNone || MethodDescriptor.HasLossWeights,
            $"--loss-weights {LossWeights}: method {MethodDescriptor.Name} has no PMCM objective to weigh (pmcm and its ablations have)");
    }

    public NetworkOptions Network => new() { NFilters = NFilters, Classes = Classes, DropoutRate = DropoutRate, Precision = Precision };

    public PmcmLossOptions Loss => Corrections.ApplyTo(LossWeights.ApplyTo(Preset == TrainingPreset.Pancreas ? PmcmLossOptions.Pancreas : PmcmLossOptions.La) with
    {
        Ramp = Ramp == RampMode.Reference ? RampSchedule.Reference : RampSchedule.Scaled(Iterations),
    });

    public OptimizerOptions Optimizer => new(LearningRate, Momentum, WeightDecay, MaxGradientNorm);

    public TrainingMethodDescriptor MethodDescriptor => TrainingMethods.Describe(Method);

    /// <summary>A method without unlabeled data (the supervised baseline) draws labeled cases only.</summary>
    public SamplerOptions Sampler => new(LabeledBatchSize, MethodDescriptor.UsesUnlabeled ? UnlabeledBatchSize : 0);

    /// <summary>How the training list is divided; a method that learns from unlabeled cases needs some.</summary>
    public SplitOptions Split => new(Labeled, ValidationCount, RequireUnlabeled: MethodDescriptor.UsesUnlabeled);

    public AugmentationOptions Augmentation => new(Patch, RotateFlip);

    /// <summary>How every case is loaded, for training and validation alike; the run record keeps it for inference.</summary>
    public TrainingGrid Grid => new(Downsample, Standardise);

    /// <summary>The run record training writes: these options, resolved, and the split.</summary>
    public RunRecord Record(DatasetSplit split) => new()
    {
        Method = TrainingMethods.Name(Method),
        Preset = Preset.ToString().ToLowerInvariant(),
        Data = Path.GetFullPath(DataDirectory),
        Downsample = Downsample,
        Standardise = Standardise,
        Labeled = Labeled,
        Iterations = Iterations,
        Patch = Patch,
        Stride = Window.Stride,
        RotateFlip = RotateFlip,
        BatchSize = BatchSize,
        LabeledBatchSize = LabeledBatchSize,
        NFilters = NFilters,
        Classes = Classes,
        DropoutRate = DropoutRate,
        LearningRate = LearningRate,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
        LearningRateSchedule = LearningRateSchedules.Name(LearningRateSchedule),
        EmaDecay = EmaDecay,
        MaxGradientNorm = MaxGradientNorm,
        Seed = Seed,
        ValidateEvery = ValidateEvery,
        Device = Device,
        Threads = Threads,
        Ramp = Ramp.ToString().ToLowerInvariant(),
        Corrections = ReferenceCorrectionNames.Format(Corrections),
        LossWeights = LossWeights.ToString(),
        RampIterationsPerStep = MethodDescriptor.UsesRamp ? Loss.Ramp.IterationsPerStep : null,
        BatchNormRecalibration = BatchNormRecalibration,
        Precision = Precisions.Name(Precision),
        Split = split,
    };

    /// <summary>
    /// The options a run was trained with, from its record: the inverse of <see cref="Record"/>, for tools that
    /// rebuild a finished run's training setup (<see cref="GradientDiagnosis"/>). The data folder is the one recorded.
    /// </summary>
    public static TrainingOptions FromRecord(RunRecord record, string runDirectory)
    {
        T Named<T>(string key, string value) where T : struct, Enum =>
            Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new PmcmException($"{runDirectory}: run record's {key} '{value}' is not one this pmcm knows");
        return new TrainingOptions
        {
            DataDirectory = record.Data ?? throw new PmcmException($"{runDirectory}: the run record names no data folder"),
            RunDirectory = runDirectory,
            Preset = Named<TrainingPreset>("preset", record.Preset),
            Labeled = record.Labeled,
            Iterations = record.Iterations,
            Patch = record.Patch,
            RotateFlip = record.RotateFlip,
            BatchSize = record.BatchSize,
            LabeledBatchSize = record.LabeledBatchSize,
            NFilters = record.NFilters,
            Classes = record.Classes,
            DropoutRate = record.DropoutRate,
            LearningRate = record.LearningRate,
            Momentum = record.Momentum,
            WeightDecay = record.WeightDecay,
            LearningRateSchedule = LearningRateSchedules.Parse(record.LearningRateSchedule),
            EmaDecay = record.EmaDecay,
            MaxGradientNorm = record.MaxGradientNorm,
            Seed = record.Seed,
            ValidateEvery = record.ValidateEvery,
            ValidationCount = record.Split?.Validation.Count,
            Stride = record.Stride,
            Device = record.Device,
            Threads = record.Threads,
            Ramp = Named<RampMode>("ramp", record.Ramp),
            Corrections = ReferenceCorrectionNames.Parse(record.Corrections),
            LossWeights = RecordedWeights(record.LossWeights, runDirectory),
            Method = TrainingMethods.Parse(record.Method),
            Downsample = record.Downsample,
            Standardise = record.Standardise,
            BatchNormRecalibration = record.BatchNormRecalibration,
            Precision = Precisions.Parse(record.Precision),
        };
    }

    private static LossWeightOverrides RecordedWeights(string text, string runDirectory)
    {
        try
        {
            return LossWeightOverrides.Parse(text);
        }
        catch (PmcmException e)
        {
            throw new PmcmException($"{runDirectory}: run record's loss_weights '{text}' is not one this pmcm reads ({e.Message})");
        }
    }

    /// <summary>Validation windows; the stride never exceeds the patch, so a small patch still covers every voxel.</summary>
    public SlidingWindowOptions Window => new(Patch, Stride.AtMost(Patch));
}
