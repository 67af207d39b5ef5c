using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Inference;

/// <summary>
/// What inference needs from a training run's config.json: <c>n_filters</c>, <c>classes</c>,
/// <c>patch</c> [X, Y, Z], <c>stride_xy</c> (X, and Y unless <c>stride_y</c> is given), <c>stride_z</c>,
/// <c>downsample</c> (1 when absent) and <c>method</c> (which network; "pmcm" when absent). Other keys are ignored.
/// </summary>
public sealed record RunConfig(int NFilters, int Classes, Shape3 Patch, Shape3 Stride, TrainingMethod Method = TrainingMethod.Pmcm, int Downsample = 1)
{
    public const string FileName = "config.json";

    public static RunConfig Read(string path)
    {
        if (!File.Exists(path)) throw new PmcmException($"{path}: no such file (a run folder needs its {FileName})");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new PmcmException($"{path}: not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new PmcmException($"{path}: expected a JSON object");
            var patch = root.TryGetProperty("patch", out var p) && p.ValueKind == JsonValueKind.Array && p.GetArrayLength() == 3
                ? new Shape3(Positive(path, "patch", p[0]), Positive(path, "patch", p[1]), Positive(path, "patch", p[2]))
                : throw new PmcmException($"{path}: 'patch' must be an array of three positive integers [X, Y, Z]");
            var strideXy = Positive(path, "stride_xy", Property(path, root, "stride_xy"));
            var strideY = root.TryGetProperty("stride_y", out var y) ? Positive(path, "stride_y", y) : strideXy;
            var strideZ = Positive(path, "stride_z", Property(path, root, "stride_z"));
            return new RunConfig(
                Positive(path, "n_filters", Property(path, root, "n_filters")),
                Positive(path, "classes", Property(path, root, "classes")),
                patch,
                new Shape3(strideXy, strideY, strideZ),
                root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String
                    ? TrainingMethods.Parse(method.GetString()!)
                    : TrainingMethod.Pmcm,
                root.TryGetProperty("downsample", out var downsample) ? Positive(path, "downsample", downsample) : 1);
        }
    }

    private static JsonElement Property(string path, JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new PmcmException($"{path}: missing key '{name}'");

    private static int Positive(string path, string name, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n > 0
            ? n
            : throw new PmcmException($"{path}: '{name}' must be a positive integer, got {value.GetRawText()}");
}
