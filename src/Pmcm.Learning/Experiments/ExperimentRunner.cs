using System.Diagnostics;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Core.Runs;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;
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
        CheckData();
        var results = new List<ExperimentResult>();
        foreach (var cell in options.Cells())
        {
            cancellation.ThrowIfCancellationRequested();
            results.Add(RunCell(cell, cancellation));
        }
        return results;
    }

    /// <summary>
    /// Cell <paramref name="index"/> of <see cref="ExperimentOptions.Cells"/> alone (a Slurm array task), skipped
    /// if it finished earlier.
    /// </summary>
    public ExperimentResult Run(int index, CancellationToken cancellation = default)
    {
        var cells = options.Cells().ToList();
        if (index < 0 || index >= cells.Count) throw new PmcmException($"--cell {index}: the grid has {cells.Count} cells, numbered 0 to {cells.Count - 1}");
        CheckData();
        return RunCell(cells[index], cancellation);
    }

    /// <summary>
    /// The finished cells and the missing ones, in grid order, without training, so a report can be written while
    /// the grid is still running. A grid with no finished cell at all is an error naming the cells.
    /// </summary>
    public GridResults Collect()
    {
        var cells = options.Cells().ToList();
        var missing = cells.Select((cell, i) => new MissingCell(i, cell)).Where(c => !File.Exists(ResultPath(c.Cell))).ToList();
        if (missing.Count == cells.Count)
            throw new PmcmException($"none of the {cells.Count} cells has a {ResultFile}: " + Describe(missing));
        var finished = cells.Where(cell => File.Exists(ResultPath(cell))).Select(cell =>
        {
            var folder = Path.Combine(options.OutDirectory, cell.Name);
            var files = new RunFiles(folder);
            var record = files.HasRecord ? RunRecord.ReadFolder(folder) : null;
            return new FinishedCell(cell, Read(ResultPath(cell)), folder, record);
        }).ToList();
        return new GridResults(options, finished, missing);
    }

    /// <summary>"0 (supervised-labeled8-seed1), 3 (…)": the cells by number and name.</summary>
    public static string Describe(IEnumerable<MissingCell> cells) => string.Join(", ", cells.Select(c => $"{c.Index} ({c.Cell.Name})"));

    // Bad data fails before any cell starts, not inside the first run.
    private void CheckData() => TrainingData.Open(options.Template.DataDirectory, options.OutDirectory, options.Template.Grid);

    private string ResultPath(ExperimentCell cell) => Path.Combine(options.OutDirectory, cell.Name, ResultFile);

    private ExperimentResult RunCell(ExperimentCell cell, CancellationToken cancellation)
    {
        var runDirectory = Path.Combine(options.OutDirectory, cell.Name);
        var resultPath = ResultPath(cell);
        if (File.Exists(resultPath))
        {
            Log?.Invoke($"{cell.Name}: finished earlier, skipped");
            return Read(resultPath);
        }
        var run = Options(cell, runDirectory);
        Log?.Invoke($"{cell.Name}: training ({run.Iterations} iterations, {run.Labeled} labeled)");
        var clock = Stopwatch.StartNew();
        var summary = new PmcmTrainer(run) { Progress = Progress, Overwrite = true, Warn = message => Log?.Invoke($"{cell.Name}: warning: {message}") }.Run(resume: File.Exists(new RunFiles(runDirectory).LastCheckpoint), cancellation);
        var logged = RunTime.Seconds(new RunFiles(runDirectory));
        var result = Evaluate(cell, run, summary, logged ?? clock.Elapsed.TotalSeconds) with { WholeRunTimed = logged is not null };
        AtomicFile.WriteAllText(resultPath, JsonSerializer.Serialize(result, Json));
        return result;
    }

    /// <summary>
    /// The run's options: the template with this cell's method, labeled count, seed and folder. A baseline's row keeps
    /// no loss weights, which only PMCM's objective has, so that one grid can weigh PMCM and still hold its baselines.
    /// </summary>
    private TrainingOptions Options(ExperimentCell cell, string runDirectory)
    {
        var template = options.Template;
        var labeled = cell.Labeled.Count ?? TrainingCaseCount(template);
        var weights = TrainingMethods.Describe(cell.Method).HasLossWeights ? template.LossWeights : LossWeightOverrides.None;
        return template with { Method = cell.Method, Labeled = labeled, Seed = cell.Seed, RunDirectory = runDirectory, LossWeights = weights };
    }

    /// <summary>Every case of the training list that is not held out for validation ("all labeled").</summary>
    private static int TrainingCaseCount(TrainingOptions template)
    {
        var train = CaseList.Read(Path.Combine(template.DataDirectory, CommunityLayout.TrainList));
        var split = DatasetSplit.Create(train, null, new SplitOptions(1, template.ValidationCount, RequireUnlabeled: false));
        return split.TrainingCases.Count;
    }

    /// <summary>
    /// Adds the largest-component scores to every finished cell whose result.json was stored before they were kept
    /// (<see cref="ExperimentResult.LargestComponentScores"/>), by segmenting its validation cases again from its
    /// best.pth; a cell without best.pth is left as it is. Returns how many cells were scored.
    /// </summary>
    public int AddLargestComponentScores()
    {
        var added = 0;
        foreach (var cell in options.Cells().Where(c => File.Exists(ResultPath(c))))
        {
            var path = ResultPath(cell);
            var stored = Read(path);
            var folder = Path.Combine(options.OutDirectory, cell.Name);
            if (stored.LargestComponentScores is not null || !File.Exists(new RunFiles(folder).BestWeights)) continue;
            var (_, cases, scores, largest) = ScoreValidation(folder, options.Template.DataDirectory);
            if (!cases.SequenceEqual(stored.Cases))
                throw new PmcmException($"{path}: scores cases {string.Join(", ", stored.Cases)}, but its run validates on {string.Join(", ", cases)}");
            // The stored scores stay the run's scores; a prediction that came out differently (another machine's
            // arithmetic, say) is reported, since the added scores are of the new one.
            if (!scores.SequenceEqual(stored.Scores))
            {
                var largestChange = scores.Zip(stored.Scores, (a, b) => Math.Abs(a.Dice - b.Dice)).Max();
                Log?.Invoke(FormattableString.Invariant($"{cell.Name}: warning: segmenting the validation cases again gave other scores than {ResultFile} holds (Dice differs by up to {largestChange:G3} on a case); its largest-component scores are of the new segmentation"));
            }
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(stored with { LargestComponentScores = largest }, Json));
            Log?.Invoke($"{cell.Name}: scored on each prediction's largest connected component too (kept in {ResultFile})");
            added++;
        }
        return added;
    }

    private static ExperimentResult Evaluate(ExperimentCell cell, TrainingOptions run, TrainingSummary summary, double seconds)
    {
        var (labeled, cases, scores, largest) = ScoreValidation(run.RunDirectory, run.DataDirectory);
        return new ExperimentResult(TrainingMethods.Name(cell.Method), cell.Labeled.ToString(), cell.Seed, labeled,
            cases, scores, seconds, summary.BestIteration, LargestComponentScores: largest);
    }

    /// <summary>
    /// A run's best checkpoint on its validation cases, as predicted and on each prediction's largest connected
    /// component, with the run's labeled case count.
    /// </summary>
    private static (int Labeled, IReadOnlyList<string> Cases, List<SegmentationScores> Scores, List<SegmentationScores> Largest) ScoreValidation(string runDirectory, string dataDirectory)
    {
        var model = ModelSource.Load(runDirectory);
        using var network = model.Net;
        var split = model.Record!.Split ?? throw new PmcmException($"{runDirectory}: the run record names no split");
        if (split.Validation.Count == 0) throw new PmcmException("the experiment needs validation cases to score runs on");
        var data = TrainingData.Open(model.Record.Data ?? dataDirectory, runDirectory, model.Grid);
        var device = TorchRuntime.ResolveDevice(model.Record.Device);
        var cases = split.Validation.Select(data.LoadLabeled).ToList();
        var evaluated = Evaluator.For(model, device).Score(cases);
        return (model.Record.Labeled, split.Validation, evaluated.Select(c => c.Scores).ToList(), evaluated.Zip(cases, Evaluator.ScoreLargestComponent).ToList());
    }

    /// <param name="advice">What the user can do about an unreadable file, appended to the error.</param>
    internal static ExperimentResult Read(string path, string advice = "delete it to run that cell again")
    {
        try
        {
            return JsonSerializer.Deserialize<ExperimentResult>(File.ReadAllText(path), Json) ?? throw new PmcmException($"{path}: empty result");
        }
        catch (JsonException e)
        {
            throw new PmcmException($"{path}: unreadable result ({e.Message}); {advice}");
        }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
