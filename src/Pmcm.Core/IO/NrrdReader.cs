using System.Globalization;
using System.IO.Compression;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>
/// Reads 3-D NRRD volumes: attached (.nrrd) or detached (.nhdr + data file) headers, raw or gzip encoding.
/// Exactly the bytes the header describes are read (after its line and byte skips), streamed into the volume,
/// whatever the size of the file around them. World coordinates are converted to RAS (NIfTI's convention, which
/// <see cref="Geometry"/> uses), so an LPS NRRD and the NIfTI of the same image get the same geometry.
/// </summary>
public static class NrrdReader
{
    /// <summary>Most lines a 'line skip' may ask for (text preambles are a few lines).</summary>
    private const int MaxLineSkip = 1 << 20;

    public static Volume Read(string path, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        var info = new FileInfo(path);
        if (!info.Exists) throw new PmcmException($"{path}: no such file");
        using var file = File.OpenRead(path);
        var head = new byte[(int)Math.Min(info.Length, NrrdHeader.MaxHeaderBytes)];
        file.ReadExactly(head);
        var header = NrrdHeader.Parse(path, head, info.Length);
        var shape = header.Shape(limits);
        var type = header.Type();
        var littleEndian = type.ByteSize() == 1 || header.LittleEndian();
        var geometry = GeometryOf(header);
        var dataName = header.Optional("data file") ?? header.Optional("datafile");
        if (dataName is null)
        {
            file.Position = header.DataOffset;
            return new Volume(shape, ReadData(header, file, shape, type, littleEndian, path), geometry, type);
        }
        var dataPath = DataPath(header, dataName);
        using var data = File.OpenRead(dataPath);
        return new Volume(shape, ReadData(header, data, shape, type, littleEndian, dataPath), geometry, type);
    }

    /// <summary>Skips the header's 'line skip' lines and 'byte skip' bytes, then decodes the voxels, inflating gzip on the way.</summary>
    private static float[] ReadData(NrrdHeader header, Stream stream, Shape3 shape, VoxelType type, bool littleEndian, string dataPath)
    {
        var path = header.Path;
        var lineSkip = header.Optional("line skip") is null ? 0 : header.Integer("line skip");
        if (lineSkip is < 0 or > MaxLineSkip) throw new PmcmException($"{path}: NRRD 'line skip: {lineSkip}' is outside 0..{MaxLineSkip}");
        var byteSkip = header.Optional("byte skip") is null ? 0 : header.Integer("byte skip");
        if (byteSkip < -1) throw new PmcmException($"{path}: NRRD 'byte skip: {byteSkip}' is not supported (only -1 or a count)");
        var encoding = header.Required("encoding").ToLowerInvariant();
        var needed = shape.Count * type.ByteSize();
        for (var line = 0; line < lineSkip;)
        {
            var b = stream.ReadByte();
            if (b < 0) throw new PmcmException($"{dataPath}: ends within the {lineSkip} lines NRRD 'line skip' asks to pass");
            if (b == '\n') line++;
        }
        switch (encoding)
        {
            case "raw":
                if (byteSkip == -1)
                {
                    // -1: the data are the last bytes of the file (teem's convention for raw data).
                    if (!stream.CanSeek || stream.Length - stream.Position < needed)
                        throw new PmcmException($"{dataPath}: truncated: shape {shape} of {type.Name()} needs {needed} data bytes but the file is shorter");
                    stream.Position = stream.Length - needed;
                }
                else
                {
                    // Devices such as /dev/zero report length 0; their reads are bounded by the volume anyway.
                    if (stream.CanSeek && stream.Length > 0)
                        ReadLimits.CheckAvailable(dataPath, byteSkip + needed, stream.Length - stream.Position, compressed: false, $"byte skip {byteSkip} plus shape {shape} of {type.Name()}");
                    Skip(stream, byteSkip, dataPath);
                }
                return RawVoxels.ReadFortran(stream, shape, type, littleEndian, dataPath);
            case "gzip" or "gz":
                if (byteSkip == -1) throw new PmcmException($"{path}: NRRD 'byte skip: -1' only applies to raw data");
                if (stream.CanSeek && stream.Length > 0)
                    ReadLimits.CheckAvailable(dataPath, byteSkip + needed, stream.Length - stream.Position, compressed: true, $"byte skip {byteSkip} plus shape {shape} of {type.Name()}");
                try
                {
                    using var inflated = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
                    Skip(inflated, byteSkip, dataPath);
                    return RawVoxels.ReadFortran(inflated, shape, type, littleEndian, dataPath);
                }
                catch (InvalidDataException e)
                {
                    throw new PmcmException($"{dataPath}: corrupt gzip data ({Printable.Clip(e.Message, 120)})", e);
                }
            default:
                throw new PmcmException($"{path}: NRRD encoding '{Printable.Clip(encoding)}' is not supported; supported: raw, gzip");
        }
    }

    private static void Skip(Stream stream, long count, string path)
    {
        var buffer = new byte[(int)Math.Min(Math.Max(count, 1), 1 << 16)];
        while (count > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (n == 0) throw new PmcmException($"{path}: ends within NRRD 'byte skip'");
            count -= n;
        }
    }

    private static string DataPath(NrrdHeader header, string name)
    {
        if (name.StartsWith("LIST", StringComparison.Ordinal) || name.Contains('%') || name.Contains(' '))
            throw new PmcmException($"{header.Path}: NRRD multi-file data ('{Printable.Clip(name)}') is not supported");
        var dataPath = Path.IsPathRooted(name) ? name : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(header.Path))!, name);
        if (!File.Exists(dataPath))
            throw new PmcmException($"{header.Path}: NRRD data file '{Printable.Clip(name)}' does not exist ({Printable.Clip(dataPath, 200)})");
        return dataPath;
    }

    private static Geometry GeometryOf(NrrdHeader header)
    {
        var sign = ToRas(header);
        if (header.Optional("space directions") is { } directionsText)
        {
            var directions = header.Vectors(directionsText);
            if (directions.Length < 3 || directions.Take(3).Any(d => d is null || d.Length != 3))
                throw new PmcmException($"{header.Path}: NRRD 'space directions: {Printable.Clip(directionsText)}' does not give three 3-D vectors");
            var origin = header.Optional("space origin") is { } o ? header.Vector(o) : [0, 0, 0];
            if (origin is null || origin.Length != 3)
                throw new PmcmException($"{header.Path}: NRRD 'space origin' is not a 3-D vector");
            if (directions.Take(3).Any(d => d!.Any(v => !double.IsFinite(v))) || origin.Any(v => !double.IsFinite(v)))
                throw new PmcmException($"{header.Path}: NRRD space directions or origin hold NaN or infinity; the header is corrupt");
            var affine = new double[16];
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++) affine[r * 4 + c] = sign[r] * directions[c]![r];
                affine[r * 4 + 3] = sign[r] * origin[r];
            }
            affine[15] = 1;
            return Geometry.FromAffine(affine);
        }
        if (header.Optional("spacings") is { } spacingsText)
        {
            var parts = spacingsText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var spacings = parts.Take(3)
                .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) && x > 0 ? x : double.NaN).ToArray();
            if (parts.Length < 3 || spacings.Any(double.IsNaN))
                throw new PmcmException($"{header.Path}: NRRD 'spacings: {Printable.Clip(spacingsText)}' does not give three positive finite spacings");
            return Geometry.WithSpacing(spacings[0], spacings[1], spacings[2]);
        }
        return Geometry.Identity;
    }

    /// <summary>Per-world-axis signs that turn the NRRD space into RAS; a space Pmcm cannot place is an error, not a silent guess.</summary>
    private static double[] ToRas(NrrdHeader header) => header.Optional("space")?.ToLowerInvariant() switch
    {
        null or "right-anterior-superior" or "ras" or "scanner-xyz" or "3d-right-handed" => [1, 1, 1],
        "left-posterior-superior" or "lps" => [-1, -1, 1],
        "left-anterior-superior" or "las" => [-1, 1, 1],
        var space => throw new PmcmException(
            $"{header.Path}: NRRD space '{Printable.Clip(space)}' is not supported; supported: right-anterior-superior (RAS), left-anterior-superior (LAS), left-posterior-superior (LPS), scanner-xyz, 3D-right-handed"),
    };
}
