using System.Collections;
using Pmcm.Core;
using Pmcm.Core.IO;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pmcm.Learning.Checkpoints;

/// <summary>
/// Reads and writes PyTorch <c>state_dict</c> files (<c>torch.save(model.state_dict())</c>) so the authors'
/// checkpoints load into Pmcm's networks and Pmcm's can be loaded in PyTorch. Loading checks every key and
/// shape first and names the offending ones, instead of failing half-way.
/// </summary>
public static class PyTorchStateDict
{
    public static void Load(nn.Module module, string path)
    {
        if (!File.Exists(path)) throw new PmcmException($"{path}: no such file");
        Hashtable loaded;
        try
        {
            using var stream = File.OpenRead(path);
            loaded = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not PmcmException)
        {
            throw new PmcmException($"{path}: not a readable PyTorch state_dict ({e.Message})");
        }

        var expected = module.state_dict();
        var missing = expected.Keys.Where(k => !loaded.ContainsKey(k)).ToList();
        var extra = loaded.Keys.Cast<string>().Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var wrongShape = expected.Keys.Where(loaded.ContainsKey)
            .Where(k => !((Tensor)loaded[k]!).shape.SequenceEqual(expected[k].shape))
            .Select(k => $"{k} (file {Shape((Tensor)loaded[k]!)}, network {Shape(expected[k])})").ToList();
        if (missing.Count + extra.Count + wrongShape.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing keys: {List(missing)}");
            if (extra.Count > 0) parts.Add($"unexpected keys: {List(extra)}");
            if (wrongShape.Count > 0) parts.Add($"wrong shapes: {List(wrongShape)}");
            throw new PmcmException($"{path} does not fit the network: {string.Join("; ", parts)}");
        }

        using var noGrad = no_grad();
        foreach (var (key, target) in expected)
        {
            using var source = (Tensor)loaded[key]!;
            target.copy_(source);
        }
    }

    public static void Save(nn.Module module, string path) => AtomicFile.WriteVia(path, tmp => module.save_py(tmp));

    private static string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";

    private static string List(IReadOnlyList<string> items) =>
        items.Count <= 6 ? string.Join(", ", items) : string.Join(", ", items.Take(6)) + $", … ({items.Count} in all)";
}
