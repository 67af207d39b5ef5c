using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Runs;

/// <summary>
/// Everything a training run was trained with, as the run folder's <c>run.json</c>: written once by training and
/// read by every consumer (eval, predict, experiment, demo, resume), so nothing about a run is re-derived.
/// Keys are the reference's argument names where it has one (<c>n_filters</c>, <c>labeled_bs</c>, <c>lr</c>, …).
/// Run folders from before the record hold a <c>config.json</c> with the same keys but the stride as
/// <c>stride_xy</c> (+ <c>stride_y</c>) and <c>stride_z</c>; <see cref="Read"/> still loads them.
/// <see cref="Method"/>, <see cref="Preset"/> and <see cref="Ramp"/> are the CLI's names ("pmcm", "la", "scaled").
/// </summary>
public sealed record RunRecord
{
    public const string FileName = "run.json";
    public const string LegacyFileName = "config.json";
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public string Method { get; init; } = "pmcm";
    public string Preset { get; init; } = "la";
    /// <summary>The data folder the run trained on (absolute).</summary>
    public string? Data { get; init; }
    /// <summary>Integer factor by which every volume was shrunk when loaded; inference shrinks its inputs the same way.</summary>
    public int Downsample { get; init; } = 1;
    /// <summary>Whether every image was z-scored again after loading; inference does the same. Runs recorded before the option were not.</summary>
    public bool Standardise { get; init; }
    public int Labeled { get; init; }
    public int Iterations { get; init; }
    public Shape3 Patch { get; init; }
    /// <summary>The sliding-window stride of validation, at most the patch.</summary>
    public Shape3 Stride { get; init; }
    public bool RotateFlip { get; init; }
    public int BatchSize { get; init; }
    [JsonPropertyName("labeled_bs")] public int LabeledBatchSize { get; init; }
    public int NFilters { get; init; }
    public int Classes { get; init; }
    [JsonPropertyName("dropout")] public double DropoutRate { get; init; }
    [JsonPropertyName("lr")] public double LearningRate { get; init; }
    public double Momentum { get; init; }
    public double WeightDecay { get; init; }
    /// <summary>"constant" (the paper's) or "poly"; runs recorded before the option existed were constant.</summary>
    [JsonPropertyName("lr_schedule")] public string LearningRateSchedule { get; init; } = "constant";
    /// <summary>Decay of the weight average that was validated and saved as best.pth; 0 = the trained weights themselves.</summary>
    public double EmaDecay { get; init; }
    /// <summary>The gradient-norm limit of every step; 0 = none (the reference's, and every run recorded before the option).</summary>
    [JsonPropertyName("clip_grad_norm")] public double MaxGradientNorm { get; init; }
    public int Seed { get; init; }
    [JsonPropertyName("val_every")] public int ValidateEvery { get; init; }
    public string Device { get; init; } = "cpu";
    public int? Threads { get; init; }
    public string Ramp { get; init; } = "scaled";
    public int? RampIterationsPerStep { get; init; }
    /// <summary>Reference quirks the run corrected, comma-separated ("pml-ce", "sdf-cycle", "pml-ramp"), or "none".</summary>
    public string Corrections { get; init; } = "none";
    /// <summary>Weights of PMCM's objective set away from the preset's ("gamma=0.5,mu=0.05"), or "paper" (every run recorded before the option).</summary>
    public string LossWeights { get; init; } = "paper";
    /// <summary>Batches of training crops over which BatchNorm statistics were recomputed before each validation (0: none).</summary>
    [JsonPropertyName("bn_recalibration")] public int BatchNormRecalibration { get; init; }
    /// <summary>What the convolutions computed in: "fp32" or "bf16" (weights and checkpoints are float32 in both).</summary>
    public string Precision { get; init; } = "fp32";
    /// <summary>The cases the run trained and validated on; null only in minimal legacy configs.</summary>
    public DatasetSplit? Split { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new Shape3JsonConverter() },
    };

    /// <summary>The record as the JSON object <see cref="Write"/> stores.</summary>
    public JsonObject ToJson() => (JsonObject)JsonSerializer.SerializeToNode(this, Json)!;

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The record of a run folder: its run.json, else the config.json of an older run.</summary>
    public static RunRecord ReadFolder(string runDirectory)
    {
        var files = new RunFiles(runDirectory);
        if (File.Exists(files.Record)) return Read(files.Record);
        if (File.Exists(files.LegacyConfig)) return Read(files.LegacyConfig);
        throw new PmcmException($"{runDirectory}: neither {FileName} nor {LegacyFileName}: not a training run folder");
    }

    public static RunRecord Read(string path)
    {
        if (!File.Exists(path)) throw new PmcmException($"{path}: no such file");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new PmcmException($"{path}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new PmcmException($"{path}: not valid JSON ({e.Message})");
        }
        if (!root.ContainsKey("stride")) root["stride"] = LegacyStride(path, root);
        foreach (var key in new[] { "n_filters", "classes", "patch" })
            if (!root.ContainsKey(key)) throw new PmcmException($"{path}: missing key '{key}'");
        RunRecord record;
        try
        {
            record = root.Deserialize<RunRecord>(Json)!;
        }
        catch (JsonException e)
        {
            var key = e.Path?.TrimStart('$', '.') is { Length: > 0 } k ? $"'{k}' " : "";
            throw new PmcmException($"{path}: {key}{e.Message}");
        }
        if (record.Version > CurrentVersion)
            throw new PmcmException($"{path}: run record version {record.Version} is newer than this pmcm reads ({CurrentVersion})");
        Positive(path, "n_filters", record.NFilters);
        Positive(path, "classes", record.Classes);
        Positive(path, "downsample", record.Downsample);
        return record;
    }

    // config.json of older runs: stride_xy (X, and Y unless stride_y is there) and stride_z.
    private static JsonArray LegacyStride(string path, JsonObject root)
    {
        int Get(string key) => root[key] is JsonValue v && v.TryGetValue<int>(out var n) && n > 0
            ? n
            : throw new PmcmException(root.ContainsKey(key) ? $"{path}: '{key}' must be a positive integer, got {root[key]?.ToJsonString()}" : $"{path}: missing key '{key}'");
        var xy = Get("stride_xy");
        return new JsonArray(xy, root.ContainsKey("stride_y") ? Get("stride_y") : xy, Get("stride_z"));
    }

    private static void Positive(string path, string key, int value)
    {
        if (value <= 0) throw new PmcmException($"{path}: '{key}' must be a positive integer, got {value}");
    }
}
