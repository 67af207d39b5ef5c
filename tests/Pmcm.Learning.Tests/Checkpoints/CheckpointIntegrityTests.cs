using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Pmcm.Core;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Tests.Training;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Tests.Checkpoints;

/// <summary>One tiny finished run (3 iterations), shared so each test damages its own copy.</summary>
public sealed class FinishedRun : IDisposable
{
    private readonly TempDir temp = new();

    public FinishedRun()
    {
        Data = TinyDataset.Write(temp.File("data"));
        Run = temp.File("run");
        new PmcmTrainer(TinyDataset.Options(Data, Run, 3)).Run();
    }

    public string Data { get; }
    public string Run { get; }

    /// <summary>A fresh copy of the run folder to damage.</summary>
    public string Copy()
    {
        var target = Directory.CreateTempSubdirectory("pmcm-run-copy-").FullName;
        foreach (var file in Directory.GetFiles(Run)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    public void Dispose() => temp.Dispose();
}

/// <summary>Issue 11, defects 1 and 2: damaged checkpoints and weights are errors, never a crash or a silently different run.</summary>
[Collection("Torch generator")]
public class CheckpointIntegrityTests(FinishedRun finished) : IClassFixture<FinishedRun>
{
    [Fact]
    public void Any_flipped_byte_of_last_ckpt_stops_the_resume_with_a_clear_error()
    {
        var length = new FileInfo(Path.Combine(finished.Run, "last.ckpt")).Length;
        // Byte 100 (inside the first entry, as in the issue), spots through the optimiser state, and the zip directory.
        foreach (var at in new[] { 100, length / 3, length / 2, 2 * length / 3, length - 60 })
        {
            var run = finished.Copy();
            var log = File.ReadAllText(Path.Combine(run, "log.csv"));
            Flip(Path.Combine(run, "last.ckpt"), at, 0x10);
            var e = Assert.Throws<PmcmException>(() => new PmcmTrainer(TinyDataset.Options(finished.Data, run, 6)).Run(resume: true));
            Assert.Contains("last.ckpt", e.Message);
            Assert.Equal(log, File.ReadAllText(Path.Combine(run, "log.csv")));
            Directory.Delete(run, recursive: true);
        }
    }

    [Fact]
    public void Forged_momentum_shape_with_valid_crc_and_digest_is_refused_before_libtorch()
    {
        var run = finished.Copy();
        var path = Path.Combine(run, "last.ckpt");
        // The first momentum buffer's first size (LEB128) gets its continuation bit: a shape TorchSharp would
        // have handed to libtorch unchecked (the SIGSEGV).
        Rewrite(path, "optimizer.dat", bytes => bytes[FirstGroup(bytes) + 45] |= 0x80);
        var e = Assert.Throws<PmcmException>(() => new PmcmTrainer(TinyDataset.Options(finished.Data, run, 6)).Run(resume: true));
        Assert.Contains("'momentum buffer 0' with another shape than the network's", e.Message);
        Directory.Delete(run, recursive: true);
    }

    [Fact]
    public void Forged_learning_rate_in_the_optimiser_state_is_refused()
    {
        var run = finished.Copy();
        var path = Path.Combine(run, "last.ckpt");
        Rewrite(path, "optimizer.dat", bytes => BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(FirstGroup(bytes) + 8), double.NaN));
        var e = Assert.Throws<PmcmException>(() => new PmcmTrainer(TinyDataset.Options(finished.Data, run, 6)).Run(resume: true));
        Assert.Contains("SGD lr NaN", e.Message);
        Directory.Delete(run, recursive: true);
    }

    [Fact]
    public void Flipped_byte_in_best_pth_fails_its_crc_instead_of_changing_the_weights()
    {
        var run = finished.Copy();
        var path = Path.Combine(run, "best.pth");
        Flip(path, new FileInfo(path).Length / 2, 0x40);
        var e = Assert.Throws<PmcmException>(() => PyTorchStateDict.Load(new PmcmNet(new NetworkOptions { NFilters = 2 }), path));
        Assert.Contains("CRC-32", e.Message);
        Directory.Delete(run, recursive: true);
    }

    [Fact]
    public void Undamaged_checkpoint_resumes()
    {
        var run = finished.Copy();
        var summary = new PmcmTrainer(TinyDataset.Options(finished.Data, run, 4)).Run(resume: true);
        Assert.Equal(4, summary.Iterations);
        Directory.Delete(run, recursive: true);
    }

    /// <summary>
    /// Where optimizer.dat's first parameter group starts: after "SGD" (length byte + 3) and the LEB128 group and
    /// state counts. A group is 5 doubles (initial lr, lr, momentum, dampening, weight decay) and 2 bools; the first
    /// state follows as a has-buffer flag, LEB128 dtype, rank and sizes.
    /// </summary>
    private static int FirstGroup(byte[] optimizer)
    {
        var at = 4 + 1;
        while ((optimizer[at] & 0x80) != 0) at++;
        return at + 1;
    }

    private static void Flip(string path, long at, byte mask)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[at] ^= mask;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Edits one entry and rewrites the archive with correct CRC-32s and digest, as a forger would.</summary>
    private static void Rewrite(string path, string entryName, Action<byte[]> edit)
    {
        var entries = new List<(string Name, byte[] Content)>();
        using (var zip = ZipFile.OpenRead(path))
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                entries.Add((entry.FullName, memory.ToArray()));
            }
        var index = entries.FindIndex(e => e.Name == entryName);
        edit(entries[index].Content);
        var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, content) in entries.Where(e => e.Name != "digest.sha256"))
        {
            digest.AppendData(Encoding.UTF8.GetBytes(name));
            var length = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, content.Length);
            digest.AppendData(length);
            digest.AppendData(content);
        }
        var digestIndex = entries.FindIndex(e => e.Name == "digest.sha256");
        entries[digestIndex] = ("digest.sha256", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest.GetHashAndReset())));
        File.Delete(path);
        using var output = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = output.CreateEntry(name).Open();
            stream.Write(content);
        }
    }
}
