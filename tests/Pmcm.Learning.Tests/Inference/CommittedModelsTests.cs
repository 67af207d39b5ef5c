using System.Security.Cryptography;
using System.Text.Json;
using Pmcm.Core.Data;
using Pmcm.Learning.Experiments;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Inference;

/// <summary>
/// The LA models committed for scoring on the standard test list (docs/results-la-cpu/models/), the first seeds of
/// the report's supervised-8 and PMCM-8 rows (the clipped grid, docs/results-la-cpu/clip/): each is its grid
/// cell's best.pth byte for byte (the digest the grid published), loads as `pmcm eval --model FOLDER` loads it,
/// and segments the cell's first validation case as the report says it did.
/// </summary>
public class CommittedModelsTests
{
    [Theory]
    [InlineData("supervised-8", "supervised-labeled8-seed1")]
    [InlineData("pmcm-8", "pmcm-labeled8-seed1")]
    public void A_committed_model_is_its_cells_best_checkpoint_and_scores_as_reported(string model, string cell)
    {
        var results = Path.Combine(Repository.Root(), "docs", "results-la-cpu");
        var folder = Path.Combine(results, "models", model);
        var published = Path.Combine(results, "clip", cell);
        var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "best.pth"))));
        Assert.Equal(digest, File.ReadAllText(Path.Combine(published, "best.pth.sha256")).Split(' ')[0]);
        var result = JsonSerializer.Deserialize<ExperimentResult>(File.ReadAllText(Path.Combine(published, "result.json")))!;

        var loaded = ModelSource.Load(folder);
        using var net = loaded.Net;
        Assert.Equal((result.Method, result.Seed, result.LabeledCases), (loaded.Record!.Method, loaded.Record.Seed, loaded.Record.Labeled));
        Assert.Equal(TrainingOptions.DefaultMaxGradientNorm, loaded.Record.MaxGradientNorm); // trained as `pmcm train` now trains
        using var cache = new TempDir();
        var data = TrainingData.Open(SharedData.Require(Path.Combine("data", "la")), cache.Path, loaded.Grid);
        var scored = Evaluator.For(loaded, CPU).Score(data.LoadLabeled(result.Cases[0]));
        // Thread counts reorder float sums, which can move a few boundary voxels: Dice agrees to 1e-3, not bit for bit.
        Assert.Equal(result.Scores[0].Dice, scored.Scores.Dice, 1e-3);
    }
}
