using System.CommandLine;
using Pmcm.Core;
using Pmcm.Core.Volumes;
using Pmcm.Learning;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;

namespace Pmcm.Cli.Commands;

/// <summary>
/// The options that set a training run's data and scale, shared by `pmcm train` and `pmcm experiment` so both
/// accept the same names and defaults (the preset's, overridden one by one).
/// </summary>
public sealed class TrainingOptionSet(string outDescription)
{
    private readonly Option<string> data = new("--data") { Description = "Dataset folder (train.list [+ test.list], <case>/mri_norm2.h5 or <case>_norm.h5)", Required = true };
    private readonly Option<string> output = CommonOptions.Out(outDescription);
    private readonly Option<string> preset = new("--preset") { Description = "Paper settings: la or pancreas", DefaultValueFactory = _ => "la" };
    private readonly Option<int?> iterations = new("--iterations") { Description = "Training iterations (15000)" };
    private readonly Option<string?> patch = new("--patch") { Description = "Patch X,Y,Z, multiples of 16 (la 112,112,80; pancreas 96,96,96)" };
    private readonly Option<int?> batch = new("--batch") { Description = "Batch size (4)" };
    private readonly Option<int?> labeledBatch = new("--labeled-batch") { Description = "Labeled samples per batch (2)" };
    private readonly Option<int?> filters = new("--n-filters") { Description = "Filters of the first level (16)" };
    private readonly Option<double?> lr = new("--lr") { Description = "SGD learning rate (0.01)" };
    private readonly Option<string?> lrSchedule = new("--lr-schedule") { Description = "Learning rate over the run: constant (the paper's) or poly (lr·(1 − t/T)^0.9)" };
    private readonly Option<double?> emaDecay = new("--ema-decay") { Description = "Validate and save an exponential moving average of the weights with this decay (0.99); 0 = the weights as trained (the reference's)" };
    private readonly Option<double?> clipGradNorm = new("--clip-grad-norm") { Description = "Scale each step's gradient down to this L2 norm when it is larger (10); 0 = never (the reference's)" };
    private readonly Option<int?> valEvery = new("--val-every") { Description = "Validate and checkpoint every N iterations (400)" };
    private readonly Option<int?> validation = new("--validation") { Description = "Cases held out at the end of train.list for validation (default max(2, 10 %))" };
    private readonly Option<string> device = CommonOptions.Device();
    private readonly Option<int?> threads = CommonOptions.Threads();
    private readonly Option<string> ramp = new("--ramp") { Description = "Consistency ramp-up: scaled (full at 40 % of the run) or reference (full at iteration 6000)", DefaultValueFactory = _ => "scaled" };
    private readonly Option<string> correct = new("--correct") { Description = $"Reference quirks to correct, comma-separated: {ReferenceCorrectionNames.Allowed}, all or none", DefaultValueFactory = _ => "none" };
    private readonly Option<string> lossWeights = new("--loss-weights") { Description = $"Weights of PMCM's objective set away from the preset's, as name=value pairs ({LossWeightOverrides.Allowed}; e.g. gamma=0.5,mu=0.05); paper = the preset's. In experiment, rows of other methods ignore it", DefaultValueFactory = _ => LossWeightOverrides.PaperName };
    private readonly Option<int?> bnRecalibration = new("--bn-recalibration") { Description = "Recompute BatchNorm statistics over N batches of training crops (dropout off) before each validation; 0 = off" };
    private readonly Option<string> precision = new("--precision") { Description = "Convolutions in fp32 or bf16 (bfloat16 with float32 master weights; needs AVX512_BF16 or AMX on the CPU)", DefaultValueFactory = _ => "fp32" };
    private readonly Option<int> downsample = new("--downsample") { Description = "Shrink volumes by this integer factor when loading (images trilinear, labels nearest)", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> standardise = new("--standardise") { Description = "Z-score each image again after loading; eval and predict then do the same (LA's files were z-scored over the whole scan before cropping). Off: the data as stored, the reference's" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { data, output, preset, iterations, patch, batch, labeledBatch, filters, lr, lrSchedule, emaDecay, clipGradNorm, valEvery, validation, device, threads, ramp, correct, lossWeights, downsample, standardise, bnRecalibration, precision })
            command.Options.Add(option);
    }

    public TrainingOptions Resolve(ParseResult parse)
    {
        var defaults = TrainingOptions.For(ParsePreset(parse.GetValue(preset)!), parse.GetValue(data)!, parse.GetValue(output)!);
        return defaults with
        {
            Iterations = parse.GetValue(iterations) ?? defaults.Iterations,
            Patch = parse.GetValue(patch) is { } p ? Shape3.Parse(p, patch.Name) : defaults.Patch,
            BatchSize = parse.GetValue(batch) ?? defaults.BatchSize,
            LabeledBatchSize = parse.GetValue(labeledBatch) ?? defaults.LabeledBatchSize,
            NFilters = parse.GetValue(filters) ?? defaults.NFilters,
            LearningRate = parse.GetValue(lr) ?? defaults.LearningRate,
            LearningRateSchedule = parse.GetValue(lrSchedule) is { } schedule ? LearningRateSchedules.Parse(schedule) : defaults.LearningRateSchedule,
            EmaDecay = parse.GetValue(emaDecay) ?? defaults.EmaDecay,
            MaxGradientNorm = parse.GetValue(clipGradNorm) ?? defaults.MaxGradientNorm,
            ValidateEvery = parse.GetValue(valEvery) ?? defaults.ValidateEvery,
            ValidationCount = parse.GetValue(validation) ?? defaults.ValidationCount,
            Device = parse.GetValue(device)!,
            Threads = parse.GetValue(threads),
            Ramp = ParseRamp(parse.GetValue(ramp)!),
            Corrections = ReferenceCorrectionNames.Parse(parse.GetValue(correct)!),
            LossWeights = LossWeightOverrides.Parse(parse.GetValue(lossWeights)!),
            Downsample = parse.GetValue(downsample),
            Standardise = parse.GetValue(standardise),
            BatchNormRecalibration = parse.GetValue(bnRecalibration) ?? defaults.BatchNormRecalibration,
            Precision = Precisions.Parse(parse.GetValue(precision)!),
        };
    }

    private static TrainingPreset ParsePreset(string text) => text.Trim().ToLowerInvariant() switch
    {
        "la" => TrainingPreset.La,
        "pancreas" => TrainingPreset.Pancreas,
        _ => throw new PmcmException($"--preset '{text}': use la or pancreas"),
    };

    private static RampMode ParseRamp(string text) => text.Trim().ToLowerInvariant() switch
    {
        "scaled" => RampMode.Scaled,
        "reference" => RampMode.Reference,
        _ => throw new PmcmException($"--ramp '{text}': use scaled or reference"),
    };
}
