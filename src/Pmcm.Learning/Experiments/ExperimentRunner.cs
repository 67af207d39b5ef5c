using System.Diagnostics;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Experiments;

/// <summary>
/// Runs an experiment grid, resumably: a run whose <c>result.json</c> exists is skipped, an interrupted run
/// continues from its last checkpoint. Each finished run's best checkpoint is scored on the validation cases
/// (held out from the training list, never the test list) and the score is stored beside it.
/// </summary>
public sealed class ExperimentRunner(ExperimentOptions options)
{
    public const string ResultFile = "result.json";

    public Action<string>? Log { get; init; }
    public Action<TrainingProgress>? Progress { get; init; }

    public IReadOnlyList<ExperimentResult> Run(CancellationToken cancellation = default)
    {
        // Bad data fails before any cell starts, not inside the first run.
        TrainingData.Open(options.Template.DataDirectory, options.OutDirectory, options.Template.Downsample);
        var results = new List<ExperimentResult>();
        foreach (var cell in options.Cells())
        {
            cancellation.ThrowIfCancellationRequested();
            var runDirectory = Path.Combine(options.OutDirectory, cell.Name);
            var resultPath = Path.Combine(runDirectory, ResultFile);
            if (File.Exists(resultPath))
            {
                Log?.Invoke($"{cell.Name}: finished earlier, skipped");
                results.Add(Read(resultPath));
                continue;
            }
            var run = Options(cell, runDirectory);
            Log?.Invoke($"{cell.Name}: training ({run.Iterations} iterations, {run.Labeled} labeled)");
            var clock = Stopwatch.StartNew();
            var summary = new PmcmTrainer(run) { Progress = Progress, Overwrite = true }.Run(resume: File.Exists(new RunFiles(runDirectory).LastCheckpoint), cancellation);
            var result = Evaluate(cell, run, summary, clock.Elapsed.TotalSeconds);
            AtomicFile.WriteAllText(resultPath, JsonSerializer.Serialize(result, Json));
            results.Add(result);
        }
        return results;
    }

    /// <summary>The run's options: the template with this cell's method, labeled count, seed and folder.</summary>
    private TrainingOptions Options(ExperimentCell cell, string runDirectory)
    {
        var template = options.Template;
        var labeled = cell.Labeled.Count ?? TrainingCaseCount(template);
        return template with { Method = cell.Method, Labeled = labeled, Seed = cell.Seed, RunDirectory = runDirectory };
    }

    private static int TrainingCaseCount(TrainingOptions template)
    {
        var train = CaseList.Read(Path.Combine(template.DataDirectory, TrainingData.TrainListName));
        var validation = template.ValidationCount ?? SplitOptions.DefaultValidationCount(train.Count);
        return train.Count - validation;
    }

    private static ExperimentResult Evaluate(ExperimentCell cell, TrainingOptions run, TrainingSummary summary, double seconds)
    {
        var files = new RunFiles(run.RunDirectory);
        var data = TrainingData.Open(run.DataDirectory, run.RunDirectory, run.Downsample);
        var split = DatasetSplit.Create(data.TrainList, data.TestList,
            new SplitOptions(run.Labeled, run.ValidationCount, RequireUnlabeled: TrainingMethods.UsesUnlabeled(run.Method)));
        if (split.Validation.Count == 0) throw new PmcmException("the experiment needs validation cases to score runs on");
        using var network = TrainingMethods.CreateNetwork(run.Method, run.Network);
        PyTorchStateDict.Load(network, File.Exists(files.BestWeights) ? files.BestWeights : files.LastWeights);
        var device = TorchRuntime.ResolveDevice(run.Device);
        network.to(device);
        var cases = split.Validation.Select(data.LoadLabeled).ToList();
        var scores = Validation.Score(cases, Decoder1Windows.Create(network, run.Patch, device), run.Window);
        return new ExperimentResult(TrainingMethods.Name(cell.Method), cell.Labeled.ToString(), cell.Seed, run.Labeled,
            split.Validation, scores, seconds, summary.BestIteration);
    }

    private static ExperimentResult Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ExperimentResult>(File.ReadAllText(path), Json) ?? throw new PmcmException($"{path}: empty result");
        }
        catch (JsonException e)
        {
            throw new PmcmException($"{path}: unreadable result ({e.Message}); delete it to run that cell again");
        }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
