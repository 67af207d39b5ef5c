using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Checkpoints;

/// <summary>
/// A resumable training checkpoint: one zip holding every module of the method (the network, and for PMCM both
/// mapping networks) and the SGD state (momentum buffers) in TorchSharp's own format, <see cref="TrainingState"/>
/// as JSON, and a SHA-256 digest of all of them. Written to a temporary file and renamed, so a crash never leaves
/// a half-written checkpoint behind. Loading checks every entry's CRC-32, the digest, and every count, dtype and
/// shape (<see cref="SavedStateCheck"/>) before TorchSharp sees a byte, so a corrupt file is an error, never a
/// silently different run or a crash.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string OptimizerEntry = "optimizer.dat";
    private const string StateEntry = "state.json";
    private const string DigestEntry = "digest.sha256";

    /// <summary>Room for state.json, names and zip structure on top of the tensors' own bytes.</summary>
    private const long SlackBytes = 1 << 20;

    /// <summary>
    /// Checkpoints before 2026-11-26 deflated their entries at the fastest level, which expands float data by
    /// about 5 % (measured: 9 477 504 → 9 981 127 bytes); 1/8 on top of the tensors' bytes still loads them.
    /// </summary>
    private const int LegacyExpansionDivisor = 8;

    public static void Save(string path, IReadOnlyDictionary<string, nn.Module> modules, SGD optimizer, TrainingState state)
    {
        var entries = new List<(string Name, byte[] Content)>();
        foreach (var (name, module) in modules) entries.Add((name + ".dat", Serialize(w => module.save(w))));
        entries.Add((OptimizerEntry, Serialize(w => optimizer.save_state_dict(w))));
        entries.Add((StateEntry, JsonSerializer.SerializeToUtf8Bytes(state)));
        entries.Add((DigestEntry, Encoding.ASCII.GetBytes(Digest(entries))));
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, content) in entries)
            {
                // Stored, not deflated: float weights do not compress (deflate made them 5 % larger) and storing is faster.
                using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                entry.Write(content);
            }
        });
    }

    /// <summary>Loads every part into the given (freshly built, same-shaped) modules and optimizer.</summary>
    public static TrainingState Load(string path, IReadOnlyDictionary<string, nn.Module> modules, SGD optimizer)
    {
        if (!File.Exists(path)) throw new PmcmException($"{path}: no checkpoint to resume from");
        var expected = ExpectedBytes(modules, optimizer);
        var entries = ZipIntegrity.ReadVerified(path, "Pmcm checkpoint", expected + expected / LegacyExpansionDivisor + SlackBytes);
        var content = entries.ToDictionary(e => e.Name, e => e.Content);
        var expectedNames = modules.Keys.Select(n => n + ".dat").Append(OptimizerEntry).Append(StateEntry).Append(DigestEntry).ToHashSet();
        if (entries.Count != content.Count || !content.Keys.ToHashSet().SetEquals(expectedNames))
            throw new PmcmException($"{path}: holds entries [{Printable.Clip(string.Join(", ", content.Keys), 200)}], expected [{string.Join(", ", expectedNames)}]; not a checkpoint of this method");
        var stored = Encoding.ASCII.GetString(content[DigestEntry]);
        if (stored != Digest(entries.Where(e => e.Name != DigestEntry).ToList()))
            throw new PmcmException($"{path}: content does not match its SHA-256 digest; the checkpoint is corrupt");

        foreach (var (name, module) in modules) SavedStateCheck.Module(content[name + ".dat"], module, $"{path}: '{name}'");
        SavedStateCheck.Sgd(content[OptimizerEntry], optimizer, $"{path}: optimiser state");
        var state = ParseState(path, content[StateEntry]);

        foreach (var (name, module) in modules) Deserialize(content[name + ".dat"], r => module.load(r));
        Deserialize(content[OptimizerEntry], r => optimizer.load_state_dict(r));
        return state;
    }

    private static TrainingState ParseState(string path, byte[] json)
    {
        TrainingState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainingState>(json);
        }
        catch (JsonException e)
        {
            throw new PmcmException($"{path}: unreadable training state ({Printable.Clip(e.Message, 120)})");
        }
        if (state is null || state.ResumePoint is null || state.Iteration < 0 || state.BestIteration < -1 || state.BestIteration > state.Iteration
            || !(double.IsNaN(state.BestDice) || state.BestDice is >= 0 and <= 1))
            throw new PmcmException($"{path}: training state is not consistent (iteration, best Dice or best iteration out of range)");
        var sampler = state.ResumePoint.Sampler;
        if (state.ResumePoint.NextBatch < 0 || sampler?.Options is null || sampler.LabeledOrder is null || sampler.UnlabeledOrder is null)
            throw new PmcmException($"{path}: training state has no usable batch resume point");
        try
        {
            TwoStreamBatchSampler.Restore(sampler);
        }
        catch (PmcmException e)
        {
            throw new PmcmException($"{path}: {e.Message}");
        }
        return state;
    }

    /// <summary>Hex SHA-256 over every entry's name, length and content, in order.</summary>
    private static string Digest(IReadOnlyList<(string Name, byte[] Content)> entries)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var (name, content) in entries)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, content.Length);
            sha.AppendData(length);
            sha.AppendData(content);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>What the modules' tensors and one momentum buffer per parameter take, the largest honest checkpoint.</summary>
    private static long ExpectedBytes(IReadOnlyDictionary<string, nn.Module> modules, SGD optimizer)
    {
        static long Bytes(Tensor t) => t.numel() * t.ElementSize;
        return modules.Values.Sum(m => m.state_dict().Values.Sum(Bytes)) + optimizer.parameters().Sum(p => Bytes(p));
    }

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true)) write(writer);
        return memory.ToArray();
    }

    private static void Deserialize(byte[] content, Action<BinaryReader> read)
    {
        using var reader = new BinaryReader(new MemoryStream(content, writable: false));
        read(reader);
    }
}
