using System.IO.Compression;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Checkpoints;

/// <summary>
/// A resumable training checkpoint: one zip holding every module of the method (the network, and for PMCM both
/// mapping networks) and the SGD state (momentum buffers) in TorchSharp's own format, plus
/// <see cref="TrainingState"/> as JSON. Written to a
/// temporary file and renamed, so a crash never leaves a half-written checkpoint behind.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string OptimizerEntry = "optimizer.dat";
    private const string StateEntry = "state.json";

    public static void Save(string path, IReadOnlyDictionary<string, nn.Module> modules, TorchSharp.Modules.OptimizerHelper optimizer, TrainingState state)
    {
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, module) in modules) WriteEntry(zip, name + ".dat", w => module.save(w));
            WriteEntry(zip, OptimizerEntry, w => optimizer.save_state_dict(w));
            using var json = zip.CreateEntry(StateEntry, CompressionLevel.Fastest).Open();
            JsonSerializer.Serialize(json, state);
        });
    }

    /// <summary>Loads every part into the given (freshly built, same-shaped) modules and optimizer.</summary>
    public static TrainingState Load(string path, IReadOnlyDictionary<string, nn.Module> modules, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        if (!File.Exists(path)) throw new PmcmException($"{path}: no checkpoint to resume from");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var (name, module) in modules) ReadEntry(zip, path, name + ".dat", r => module.load(r));
            ReadEntry(zip, path, OptimizerEntry, r => optimizer.load_state_dict(r));
            using var json = Entry(zip, path, StateEntry).Open();
            return JsonSerializer.Deserialize<TrainingState>(json) ?? throw new PmcmException($"{path}: empty training state");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new PmcmException($"{path}: not a readable Pmcm checkpoint or built for another network ({e.Message})");
        }
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<BinaryWriter> write)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        using var writer = new BinaryWriter(entry);
        write(writer);
    }

    private static void ReadEntry(ZipArchive zip, string path, string name, Action<BinaryReader> read)
    {
        // Zip entry streams do not seek; TorchSharp's readers are happier with a memory copy.
        using var memory = new MemoryStream();
        using (var entry = Entry(zip, path, name).Open()) entry.CopyTo(memory);
        memory.Position = 0;
        using var reader = new BinaryReader(memory);
        read(reader);
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string path, string name) =>
        zip.GetEntry(name) ?? throw new PmcmException($"{path}: checkpoint has no '{name}'");
}
