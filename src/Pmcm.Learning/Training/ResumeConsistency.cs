using System.Text.Json;
using System.Text.Json.Nodes;
using Pmcm.Core;
using Pmcm.Core.Runs;

namespace Pmcm.Learning.Training;

/// <summary>
/// What a resumed run may change: only how long it runs and where it computes. Every other setting recorded in
/// the run's record (<c>run.json</c>, or an older run's <c>config.json</c>) must equal the one asked for now, or the run would continue as recorded while the record
/// claimed otherwise (e.g. <c>--resume --lr 0.5</c> trained on at the checkpoint's 0.01); a conflict is refused,
/// naming each setting with both values.
/// </summary>
public static class ResumeConsistency
{
    /// <summary>Settings that may differ between the recorded run and its continuation (the ramp step follows from the iterations).</summary>
    public static readonly IReadOnlySet<string> Changeable = new HashSet<string> { "iterations", "ramp_iterations_per_step", "device", "threads", "precision" };

    /// <summary>What this run may change: a poly learning rate is a function of the run's length, so not its iterations.</summary>
    public static IReadOnlySet<string> ChangeableFor(RunRecord recorded) =>
        recorded.LearningRateSchedule == LearningRateSchedules.Name(LearningRateSchedule.Poly)
            ? Changeable.Where(n => n is not ("iterations" or "ramp_iterations_per_step")).ToHashSet()
            : Changeable;

    public static void ThrowIfConflicting(string runDirectory, RunRecord requested)
    {
        var recorded = RunRecord.ReadFolder(runDirectory);
        var changeable = ChangeableFor(recorded);
        var conflicts = Conflicts(recorded.ToJson(), requested.ToJson(), changeable);
        if (conflicts.Count > 0)
            throw new PmcmException($"--resume: {string.Join("; ", conflicts)} — a resumed run keeps its recorded settings (only {string.Join(", ", changeable)} may change)");
    }

    /// <summary>
    /// The option of <c>train</c> that sets each recorded setting, so a conflict can say how to continue the run as
    /// recorded (settings the preset fixes have none). <c>experiment</c> shares them all but method, labeled and seed,
    /// which name its cells' folders and so never conflict.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Options = new Dictionary<string, string>
    {
        ["method"] = "--method", ["labeled"] = "--labeled", ["seed"] = "--seed",
        ["preset"] = "--preset", ["data"] = "--data", ["iterations"] = "--iterations", ["downsample"] = "--downsample", ["standardise"] = "--standardise", ["patch"] = "--patch",
        ["batch_size"] = "--batch", ["labeled_bs"] = "--labeled-batch", ["n_filters"] = "--n-filters", ["lr"] = "--lr",
        ["lr_schedule"] = "--lr-schedule", ["ema_decay"] = "--ema-decay", ["clip_grad_norm"] = "--clip-grad-norm",
        ["val_every"] = "--val-every", ["ramp"] = "--ramp", ["corrections"] = "--correct", ["loss_weights"] = "--loss-weights", ["bn_recalibration"] = "--bn-recalibration",
    };

    /// <summary>
    /// "name (run X, now Y)" for every setting that differs and may not, followed by "; continue with --option X"
    /// where an option sets it.
    /// </summary>
    public static IReadOnlyList<string> Conflicts(JsonObject recorded, JsonObject requested, IReadOnlySet<string> changeable)
    {
        var names = recorded.Select(p => p.Key).Union(requested.Select(p => p.Key)).Where(n => !changeable.Contains(n)).Order(StringComparer.Ordinal);
        return names
            .Where(n => !JsonNode.DeepEquals(recorded[n], requested[n]))
            .Select(n => $"{n} (run {Text(recorded[n])}, now {Text(requested[n])}{Continuation(n, recorded[n])})")
            .ToList();
    }

    private static string Text(JsonNode? node) => node is null ? "unset" : Printable.Clip(node.ToJsonString(), 80);

    private static string Continuation(string name, JsonNode? recorded) =>
        Options.TryGetValue(name, out var option) && OptionValue(recorded) is { } value ? $"; continue with {option} {value}" : "";

    // As the option is typed: a number or a name as is, a shape as X,Y,Z.
    private static string? OptionValue(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => Printable.Clip(text, 80),
        JsonValue v => v.ToJsonString(),
        JsonArray a when a.All(e => e is JsonValue) => string.Join(",", a.Select(e => e!.ToJsonString())),
        _ => null,
    };
}
