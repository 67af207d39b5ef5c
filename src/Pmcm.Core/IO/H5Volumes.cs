using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>
/// How volumes are stored in HDF5: deflate-compressed (as h5py's compression="gzip") in chunks of whole
/// X slices of about <paramref name="ChunkBytes"/>. Whole (Y, Z) planes matter: PureHDF reads chunks that
/// split the fast axes orders of magnitude slower (minutes instead of milliseconds for an LA volume).
/// </summary>
public sealed record H5VolumeWriteOptions(int ChunkBytes = 1 << 20);

/// <summary>
/// 3-D datasets of HDF5 files (through PureHDF) as volumes. HDF5 arrays are C order like Pmcm's, so
/// h5py's f['image'][x, y, z] is Volume[x, y, z] without any transpose. HDF5 has no geometry.
/// </summary>
public static class H5Volumes
{
    /// <summary>Every dataset of the file, depth first, with group paths joined by '/'.</summary>
    public static IReadOnlyList<H5DatasetInfo> List(string path) => Open(path, file =>
    {
        var found = new List<H5DatasetInfo>();
        Collect(file, "", found);
        return found;
    });

    public static Volume Read(string path, string dataset, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        return Open(path, file =>
        {
            if (!file.LinkExists(dataset) || file.Get(dataset) is not IH5Dataset ds)
            {
                var present = new List<H5DatasetInfo>();
                Collect(file, "", present);
                throw new PmcmException($"{path}: no dataset '{dataset}'; datasets present: {(present.Count == 0 ? "none" : Printable.Clip(string.Join(", ", present.Select(d => d.Name)), 200))}");
            }
            return ReadDataset(path, dataset, ds, limits);
        });
    }

    public static bool Contains(string path, string dataset) =>
        Open(path, file => file.LinkExists(dataset) && file.Get(dataset) is IH5Dataset);

    /// <summary>Writes the named volumes into a new file, each as its own voxel type.</summary>
    public static void Write(string path, IEnumerable<(string Name, Volume Volume)> datasets, H5VolumeWriteOptions? options = null)
    {
        options ??= new H5VolumeWriteOptions();
        var file = new H5File();
        foreach (var (name, volume) in datasets)
        {
            var s = volume.Shape;
            var sliceBytes = (long)s.Y * s.Z * volume.Type.ByteSize();
            var slices = (uint)Math.Clamp(options.ChunkBytes / sliceBytes, 1, s.X);
            uint[] chunks = [slices, (uint)s.Y, (uint)s.Z];
            file[name] = new H5Dataset(TypedData(volume), chunks: chunks, fileDims: [(ulong)s.X, (ulong)s.Y, (ulong)s.Z],
                datasetCreation: new H5DatasetCreation(Filters: [DeflateFilter.Id]));
        }
        AtomicFile.WriteVia(path, tmp => file.Write(tmp));
    }

    /// <summary>
    /// Writes one dataset into <paramref name="path"/>, keeping the file's other datasets: a new file gets just this
    /// one; an existing file is rewritten (atomically) with its datasets and this one added or replaced. A file whose
    /// other content this cannot carry over (groups, non-volume datasets, element types it would narrow) is refused
    /// and left untouched, rather than losing data.
    /// </summary>
    public static void WriteDataset(string path, string name, Volume volume, H5VolumeWriteOptions? options = null)
    {
        if (!File.Exists(path))
        {
            Write(path, [(name, volume)], options);
            return;
        }
        var kept = new List<(string, Volume)>();
        foreach (var info in List(path).Where(d => d.Name != name))
        {
            if (info.Name.Contains('/') || !info.IsVolume || info.Dtype is "uint32" or "int64" or "uint64")
                throw new PmcmException($"{path}: holds '{info.Name}' ({info.Dtype}, {info.Shape.Length}-D), which rewriting the file to add '{name}' would lose or change; the file was left untouched");
            kept.Add((info.Name, Read(path, info.Name)));
        }
        Write(path, [.. kept, (name, volume)], options);
    }

    private static Volume ReadDataset(string path, string name, IH5Dataset ds, ReadLimits limits)
    {
        var dims = ds.Space.Dimensions;
        if (dims.Length != 3)
            throw new PmcmException($"{path}: dataset '{name}' has shape ({string.Join(", ", dims)}); only 3-D volumes are supported");
        limits.CheckVoxels(path, (double)dims[0] * dims[1] * dims[2], $"dataset '{name}'");
        var shape = new Shape3((int)dims[0], (int)dims[1], (int)dims[2]);
        var type = VoxelTypeOf(ds.Type);
        // Deflate bounds what the file can hold; a corrupt size is refused before PureHDF allocates it.
        var fileLength = new FileInfo(path).Length;
        ReadLimits.CheckAvailable(path, shape.Count * (long)ds.Type.Size, fileLength, compressed: true, $"dataset '{name}' of shape {shape}");
        // PureHDF allocates whole chunks: their declared size is bounded the same way.
        if (ds.Layout.Class == H5DataLayoutClass.Chunked && ds.Layout.Chunks is { Length: > 0 } chunks)
            ReadLimits.CheckAvailable(path, chunks.Aggregate(1.0, (a, c) => a * c) is var n && n < long.MaxValue ? (long)n * ds.Type.Size : long.MaxValue,
                fileLength, compressed: true, $"a chunk of dataset '{name}' ({string.Join("×", chunks)})");
        var data = type switch
        {
            VoxelType.UInt8 => Widen(ds.Read<byte[]>(), v => v),
            VoxelType.Int8 => Widen(ds.Read<sbyte[]>(), v => v),
            VoxelType.Int16 => Widen(ds.Read<short[]>(), v => v),
            VoxelType.UInt16 => Widen(ds.Read<ushort[]>(), v => v),
            VoxelType.Int32 => ds.Type.Size == 8
                ? Widen(ds.Read<long[]>(), v => v)
                : ds.Type.FixedPoint.IsSigned ? Widen(ds.Read<int[]>(), v => v) : Widen(ds.Read<uint[]>(), v => v),
            VoxelType.Float32 => ds.Read<float[]>(),
            VoxelType.Float64 => Widen(ds.Read<double[]>(), v => (float)v),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
        if (data.LongLength != shape.Count)
            throw new PmcmException($"{path}: dataset '{name}' gave {data.LongLength} values for shape {shape}; the file is corrupt");
        return new Volume(shape, data, Geometry.Identity, type);
    }

    /// <summary>The voxel type a dataset is read as; wider integers (uint32, int64) become Int32 volumes.</summary>
    private static VoxelType VoxelTypeOf(IH5DataType type) => (type.Class, type.Size) switch
    {
        (H5DataTypeClass.FloatingPoint, 4) => VoxelType.Float32,
        (H5DataTypeClass.FloatingPoint, 8) => VoxelType.Float64,
        (H5DataTypeClass.FixedPoint, 1) => type.FixedPoint.IsSigned ? VoxelType.Int8 : VoxelType.UInt8,
        (H5DataTypeClass.FixedPoint, 2) => type.FixedPoint.IsSigned ? VoxelType.Int16 : VoxelType.UInt16,
        (H5DataTypeClass.FixedPoint, 4 or 8) => VoxelType.Int32,
        _ => throw new PmcmException($"HDF5 element type {Dtype(type)} is not supported for volumes"),
    };

    private static string Dtype(IH5DataType type) => (type.Class, type.Size) switch
    {
        (H5DataTypeClass.FloatingPoint, var n) => $"float{8 * n}",
        (H5DataTypeClass.FixedPoint, var n) => $"{(type.FixedPoint.IsSigned ? "int" : "uint")}{8 * n}",
        (var c, _) => c.ToString().ToLowerInvariant(),
    };

    private static float[] Widen<T>(T[] values, Func<T, double> convert)
    {
        var data = new float[values.Length];
        for (var i = 0; i < data.Length; i++) data[i] = (float)convert(values[i]);
        return data;
    }

    private static object TypedData(Volume volume)
    {
        var d = volume.Data;
        return volume.Type switch
        {
            VoxelType.UInt8 => Narrow(d, v => (byte)RawVoxels.ToInteger(v, byte.MinValue, byte.MaxValue)),
            VoxelType.Int8 => Narrow(d, v => (sbyte)RawVoxels.ToInteger(v, sbyte.MinValue, sbyte.MaxValue)),
            VoxelType.Int16 => Narrow(d, v => (short)RawVoxels.ToInteger(v, short.MinValue, short.MaxValue)),
            VoxelType.UInt16 => Narrow(d, v => (ushort)RawVoxels.ToInteger(v, ushort.MinValue, ushort.MaxValue)),
            VoxelType.Int32 => Narrow(d, v => (int)RawVoxels.ToInteger(v, int.MinValue, int.MaxValue)),
            VoxelType.Float32 => d,
            VoxelType.Float64 => Narrow(d, v => (double)v),
            _ => throw new ArgumentOutOfRangeException(nameof(volume), volume.Type, null),
        };
    }

    private static T[] Narrow<T>(float[] data, Func<float, T> convert)
    {
        var values = new T[data.Length];
        for (var i = 0; i < values.Length; i++) values[i] = convert(data[i]);
        return values;
    }

    private static void Collect(IH5Group group, string prefix, List<H5DatasetInfo> found)
    {
        foreach (var child in group.Children())
        {
            var name = prefix + child.Name;
            switch (child)
            {
                case IH5Dataset ds:
                    var dtype = ds.Type.Class is H5DataTypeClass.FixedPoint or H5DataTypeClass.FloatingPoint ? Dtype(ds.Type) : ds.Type.Class.ToString().ToLowerInvariant();
                    found.Add(new H5DatasetInfo(name, ds.Space.Dimensions.Select(n => (long)n).ToArray(), dtype));
                    break;
                case IH5Group sub:
                    Collect(sub, name + "/", found);
                    break;
            }
        }
    }

    /// <summary>Opens the file and turns whatever a corrupt file makes PureHDF throw into one clear error.</summary>
    private static T Open<T>(string path, Func<IH5Group, T> use)
    {
        if (!File.Exists(path)) throw new PmcmException($"{path}: no such file");
        try
        {
            using var file = H5File.OpenRead(path);
            return use(file);
        }
        catch (PmcmException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new PmcmException($"{path}: {e.Message}", e);
        }
        catch (Exception e) when (e is not PmcmException and not OutOfMemoryException)
        {
            throw new PmcmException($"{path}: not a readable HDF5 file ({e.GetType().Name}: {Printable.Clip(e.Message, 160)})", e);
        }
    }
}
