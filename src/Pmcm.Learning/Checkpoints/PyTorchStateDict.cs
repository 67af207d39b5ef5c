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
/// shape first and names the offending ones, instead of failing half-way. The archive's CRC-32s are checked
/// before anything is unpickled, so a flipped byte is reported instead of silently changing the weights.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>Largest state_dict file read; Pmcm's largest network is about 40 MB.</summary>
    public const long MaxBytes = 1L << 30;

    public static void Load(nn.Module module, string path)
    {
        var loaded = Read(path);
        try
        {
            Load(module, loaded, path);
        }
        finally
        {
            foreach (var tensor in loaded.Values) tensor.Dispose();
        }
    }

    /// <summary>Reads every tensor of a state_dict file by key (e.g. to size a network before loading into it).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new PmcmException($"{path}: no such file");
        if (info.Length > MaxBytes) throw new PmcmException($"{path}: {info.Length} bytes is more than the {MaxBytes}-byte limit for a state_dict");
        // One copy in memory: the archive checked is the archive unpickled.
        using var stream = new MemoryStream(File.ReadAllBytes(path), writable: false);
        ZipIntegrity.ReadVerified(path, "PyTorch state_dict", stream, MaxBytes);
        stream.Position = 0;
        Hashtable loaded;
        try
        {
            loaded = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not PmcmException)
        {
            throw new PmcmException($"{path}: not a readable PyTorch state_dict ({Printable.Clip(e.Message, 160)})");
        }
        var tensors = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in loaded)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
                throw new PmcmException($"{path}: not a PyTorch state_dict (entry '{Printable.Clip(entry.Key?.ToString() ?? "null")}' is not a named tensor)");
            tensors[key] = tensor;
        }
        return tensors;
    }

    /// <summary>Copies <paramref name="loaded"/> (read from <paramref name="path"/>) into the module after checking every key and shape.</summary>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> loaded, string path)
    {
        var expected = module.state_dict();
        var missing = expected.Keys.Where(k => !loaded.ContainsKey(k)).ToList();
        var extra = loaded.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var wrongShape = expected.Keys.Where(loaded.ContainsKey)
            .Where(k => !loaded[k].shape.SequenceEqual(expected[k].shape))
            .Select(k => $"{k} (file {Shape(loaded[k])}, network {Shape(expected[k])})").ToList();
        if (missing.Count + extra.Count + wrongShape.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing keys: {List(missing)}");
            if (extra.Count > 0) parts.Add($"unexpected keys: {List(extra)}");
            if (wrongShape.Count > 0) parts.Add($"wrong shapes: {List(wrongShape)}");
            throw new PmcmException($"{path} does not fit the network: {string.Join("; ", parts)}");
        }

        using var noGrad = no_grad();
        foreach (var (key, target) in expected) target.copy_(loaded[key]);
    }

    public static void Save(nn.Module module, string path) => AtomicFile.WriteVia(path, tmp => module.save_py(tmp));

    private static string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";

    private static string List(IReadOnlyList<string> items) =>
        items.Count <= 6 ? string.Join(", ", items) : string.Join(", ", items.Take(6)) + $", … ({items.Count} in all)";
}
