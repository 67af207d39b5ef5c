using System.Text.Json;
using System.Text.Json.Nodes;
using Pmcm.Core.Data;
using Pmcm.Core.IO;

namespace Pmcm.Learning.Training;

/// <summary>
/// The run's config.json: the resolved options under the reference's names (inference reads
/// <c>n_filters</c>, <c>classes</c>, <c>patch</c>, <c>stride_xy</c>, <c>stride_z</c>) plus the case split.
/// </summary>
public static class TrainingConfig
{
    public static JsonObject ToJson(TrainingOptions o, DatasetSplit split) => new()
    {
        ["method"] = TrainingMethods.Name(o.Method),
        ["preset"] = o.Preset.ToString().ToLowerInvariant(),
        ["downsample"] = o.Downsample,
        ["data"] = Path.GetFullPath(o.DataDirectory),
        ["labeled"] = o.Labeled,
        ["iterations"] = o.Iterations,
        ["patch"] = new JsonArray(o.Patch.X, o.Patch.Y, o.Patch.Z),
        ["rotate_flip"] = o.RotateFlip,
        ["batch_size"] = o.BatchSize,
        ["labeled_bs"] = o.LabeledBatchSize,
        ["n_filters"] = o.NFilters,
        ["classes"] = o.Classes,
        ["dropout"] = o.DropoutRate,
        ["lr"] = o.LearningRate,
        ["momentum"] = o.Momentum,
        ["weight_decay"] = o.WeightDecay,
        ["seed"] = o.Seed,
        ["val_every"] = o.ValidateEvery,
        ["stride_xy"] = o.Stride.X,
        ["stride_z"] = o.Stride.Z,
        ["device"] = o.Device,
        ["threads"] = o.Threads,
        ["precision"] = Precisions.Name(o.Precision),
        ["ramp"] = o.Ramp.ToString().ToLowerInvariant(),
        ["ramp_iterations_per_step"] = o.Loss.Ramp.IterationsPerStep,
        ["split"] = new JsonObject
        {
            ["labeled"] = new JsonArray(split.Labeled.Select(n => (JsonNode?)n).ToArray()),
            ["unlabeled"] = new JsonArray(split.Unlabeled.Select(n => (JsonNode?)n).ToArray()),
            ["validation"] = new JsonArray(split.Validation.Select(n => (JsonNode?)n).ToArray()),
        },
    };

    public static void Write(string path, TrainingOptions o, DatasetSplit split) =>
        AtomicFile.WriteAllText(path, ToJson(o, split).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
