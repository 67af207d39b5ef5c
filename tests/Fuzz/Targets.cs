using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Pmcm.Core.Data;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Fuzz;

/// <summary>Every reader of Pmcm with seeds from its own writers; inputs go through real files in <paramref name="work"/>.</summary>
public static class Targets
{
    public static readonly string[] Names = ["nifti", "nifti-gz", "nrrd", "nrrd-detached", "hdf5", "pth", "checkpoint", "checkpoint-content"];

    public static FuzzTarget Create(string name, string work) => name switch
    {
        "nifti" => new(name, NiftiSeeds(gzip: false), false, input => ReadFile(work, "v.nii", input)),
        "nifti-gz" => new(name, NiftiSeeds(gzip: true), false, input => ReadFile(work, "v.nii.gz", input)),
        "nrrd" => new(name, NrrdSeeds(), true, input => ReadFile(work, "v.nrrd", input)),
        "nrrd-detached" => Detached(work),
        // PureHDF 2.2.0 allocates object-header strings (link names) at the length the file states, up to 2 GB,
        // before any check Pmcm could make: those allocations are counted apart, not as findings.
        "hdf5" => new(name, [H5Seed(work)], false, input =>
        {
            var path = Write(work, "v.h5", input);
            H5Volumes.List(path);
            H5Volumes.Read(path, "image");
        }, AllocationIsFinding: false),
        "pth" => Pth(work),
        "checkpoint" => Checkpoint(work, content: false),
        "checkpoint-content" => Checkpoint(work, content: true),
        _ => throw new ArgumentException($"unknown target '{name}'; targets: {string.Join(", ", Names)}"),
    };

    private static void ReadFile(string work, string name, byte[] input) => VolumeIO.Read(Write(work, name, input));

    private static string Write(string work, string name, byte[] input)
    {
        var path = Path.Combine(work, name);
        File.WriteAllBytes(path, input);
        return path;
    }

    private static List<byte[]> NiftiSeeds(bool gzip) =>
    [
        NiftiWriter.Encode(Ramp(new Shape3(4, 3, 2), VoxelType.Int16), new NiftiWriteOptions(Gzip: gzip)),
        NiftiWriter.Encode(Ramp(new Shape3(3, 3, 3), VoxelType.Float32), new NiftiWriteOptions(LittleEndian: false, Gzip: gzip)),
        NiftiWriter.Encode(Ramp(new Shape3(5, 2, 2), VoxelType.UInt8), new NiftiWriteOptions(Gzip: gzip)),
        NiftiWriter.Encode(Ramp(new Shape3(2, 2, 2), VoxelType.Float64), new NiftiWriteOptions(Gzip: gzip)),
    ];

    private static List<byte[]> NrrdSeeds() =>
    [
        NrrdWriter.Encode(Ramp(new Shape3(4, 3, 2), VoxelType.Int16), new NrrdWriteOptions(Gzip: false)),
        NrrdWriter.Encode(Ramp(new Shape3(3, 3, 3), VoxelType.Float32), new NrrdWriteOptions(Gzip: true)),
        [.. "NRRD0004\ntype: short\ndimension: 3\nsizes: 1 1 2\nspacings: 2 3 4\nspace: left-posterior-superior\nendian: big\nbyte skip: 2\nencoding: raw\n\n"u8, 0, 0, 1, 2, 255, 254],
    ];

    /// <summary>The .nhdr text is mutated; its data files (raw and gzip) stay valid.</summary>
    private static FuzzTarget Detached(string work)
    {
        var raw = RawVoxels.EncodeFortran(Ramp(new Shape3(4, 3, 2), VoxelType.Int16), VoxelType.Int16, littleEndian: true);
        File.WriteAllBytes(Path.Combine(work, "v.raw"), [.. "skip me\n"u8, .. raw]);
        File.WriteAllBytes(Path.Combine(work, "v.raw.gz"), Gzip.Compress(raw));
        List<byte[]> seeds =
        [
            Encoding.ASCII.GetBytes("NRRD0004\ntype: int16\ndimension: 3\nsizes: 4 3 2\nencoding: raw\nline skip: 1\ndata file: v.raw\n"),
            Encoding.ASCII.GetBytes("NRRD0005\ntype: short\ndimension: 3\nsizes: 4 3 2\nspace: right-anterior-superior\nspace directions: (1,0,0) (0,2,0) (0,0,3)\nspace origin: (1,2,3)\nencoding: gzip\ndata file: v.raw.gz\n"),
            Encoding.ASCII.GetBytes("NRRD0004\ntype: int16\ndimension: 3\nsizes: 4 3 2\nencoding: raw\nbyte skip: -1\ndatafile: v.raw\n"),
        ];
        return new FuzzTarget("nrrd-detached", seeds, true, input => ReadFile(work, "v.nhdr", input));
    }

    private static byte[] H5Seed(string work)
    {
        var path = Path.Combine(work, "seed.h5");
        new H5Case(Ramp(new Shape3(4, 3, 2), VoxelType.Float32), Ramp(new Shape3(4, 3, 2), VoxelType.UInt8)).Write(path);
        return File.ReadAllBytes(path);
    }

    private static FuzzTarget Pth(string work)
    {
        manual_seed(1);
        var net = new MappingNet(2, 4);
        var seed = Path.Combine(work, "seed.pth");
        PyTorchStateDict.Save(net, seed);
        return new FuzzTarget("pth", [File.ReadAllBytes(seed)], false, input => PyTorchStateDict.Load(net, Write(work, "v.pth", input)));
    }

    /// <summary>
    /// A checkpoint of a tiny network with momentum buffers. With <paramref name="content"/>, the mutation hits one
    /// entry's content and the archive is rebuilt with valid CRC-32s and digest, as a forger would: that reaches the
    /// layout checks behind the integrity checks.
    /// </summary>
    private static FuzzTarget Checkpoint(string work, bool content)
    {
        manual_seed(1);
        var net = new MappingNet(2, 4);
        var modules = new Dictionary<string, nn.Module> { ["model"] = net };
        var sgd = optim.SGD(net.parameters(), 0.01, 0.9, weight_decay: 1e-4);
        using (var scope = NewDisposeScope())
        {
            net.forward(randn([1, 2, 4, 4, 4])).sum().backward();
            sgd.step();
        }
        var seed = Path.Combine(work, "seed.ckpt");
        var sampler = new TwoStreamBatchSampler(2, 2, new SamplerOptions(1, 1), 1);
        TrainingCheckpoint.Save(seed, modules, sgd, new TrainingState(1, new BatchResumePoint(1, sampler.State), 0.5, 1));
        var seedBytes = File.ReadAllBytes(seed);
        if (!content)
            return new FuzzTarget("checkpoint", [seedBytes], false, input => TrainingCheckpoint.Load(Write(work, "v.ckpt", input), modules, sgd));
        var entries = Entries(seedBytes);
        // The input is one entry's content, prefixed by the entry's index.
        var seeds = entries.Where(e => e.Name != "digest.sha256").Select((e, i) => (byte[])[(byte)i, .. e.Content]).ToList();
        return new FuzzTarget("checkpoint-content", seeds, false, input =>
        {
            if (input.Length == 0) return;
            var edited = entries.ToList();
            var index = input[0] % (edited.Count - 1);
            edited[index] = (edited[index].Name, input[1..]);
            TrainingCheckpoint.Load(Write(work, "v.ckpt", Forge(edited)), modules, sgd);
        });
    }

    private static List<(string Name, byte[] Content)> Entries(byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        return zip.Entries.Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, m.ToArray());
        }).ToList();
    }

    /// <summary>Rebuilds the archive with a recomputed digest (SHA-256 over each entry's name, int64 length, content).</summary>
    private static byte[] Forge(List<(string Name, byte[] Content)> entries)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var length = new byte[8];
        foreach (var (name, bytes) in entries.Where(e => e.Name != "digest.sha256"))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            BinaryPrimitives.WriteInt64LittleEndian(length, bytes.Length);
            sha.AppendData(length);
            sha.AppendData(bytes);
        }
        var digest = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(sha.GetHashAndReset()));
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                s.Write(name == "digest.sha256" ? digest : bytes);
            }
        return output.ToArray();
    }

    private static Volume Ramp(Shape3 shape, VoxelType type)
    {
        var data = new float[shape.Count];
        for (var i = 0; i < data.Length; i++) data[i] = i % 7 + (type is VoxelType.Float32 or VoxelType.Float64 ? 0.25f : 0);
        return new Volume(shape, data, Geometry.WithSpacing(0.5, 0.75, 2), type);
    }
}
