using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>
/// Reads 3-D NRRD volumes: attached (.nrrd) or detached (.nhdr + data file) headers, raw or gzip encoding.
/// World coordinates are converted to RAS (NIfTI's convention, which <see cref="Geometry"/> uses), so an
/// LPS NRRD and the NIfTI of the same image get the same geometry.
/// </summary>
public static class NrrdReader
{
    public static Volume Read(string path, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        var bytes = InputFile.ReadAll(path, limits);
        var header = NrrdHeader.Parse(path, bytes);
        var shape = header.Shape(limits);
        var type = header.Type();
        var (data, offset) = DataBytes(header, bytes, limits);
        var needed = shape.Count * type.ByteSize();
        if (header.Optional("byte skip") == "-1") offset = data.Length - needed;
        if (offset < 0 || data.Length - offset < needed)
            throw new PmcmException($"{path}: truncated: shape {shape} of {type.Name()} needs {needed} data bytes but only {Math.Max(0, data.Length - Math.Max(0, offset))} are there");
        var voxels = RawVoxels.DecodeFortran(data, offset, shape, type, type.ByteSize() == 1 || header.LittleEndian());
        return new Volume(shape, voxels, GeometryOf(header), type);
    }

    /// <summary>The decoded data bytes and where the voxels start in them.</summary>
    private static (byte[] Data, long Offset) DataBytes(NrrdHeader header, byte[] headerFile, ReadLimits limits)
    {
        var path = header.Path;
        if (header.Optional("line skip") is { } lineSkip && lineSkip != "0")
            throw new PmcmException($"{path}: NRRD 'line skip' is not supported");
        var skip = header.Optional("byte skip") is { } s && s != "-1" ? header.Integer("byte skip") : 0;
        if (skip < 0) throw new PmcmException($"{path}: NRRD 'byte skip: {skip}' is not supported");

        var (bytes, start) = DataFile(header, headerFile, limits);
        var encoding = header.Required("encoding").ToLowerInvariant();
        return encoding switch
        {
            "raw" => (bytes, start + skip),
            "gzip" or "gz" => (Gzip.Decompress(path, bytes, start, limits.MaxBytes), skip),
            _ => throw new PmcmException($"{path}: NRRD encoding '{encoding}' is not supported; supported: raw, gzip"),
        };
    }

    private static (byte[] Bytes, int Start) DataFile(NrrdHeader header, byte[] headerFile, ReadLimits limits)
    {
        var name = header.Optional("data file") ?? header.Optional("datafile");
        if (name is null) return (headerFile, header.DataOffset);
        if (name.StartsWith("LIST", StringComparison.Ordinal) || name.Contains('%') || name.Contains(' '))
            throw new PmcmException($"{header.Path}: NRRD multi-file data ('{name}') is not supported");
        var dataPath = Path.IsPathRooted(name) ? name : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(header.Path))!, name);
        if (!File.Exists(dataPath))
            throw new PmcmException($"{header.Path}: NRRD data file '{name}' does not exist ({dataPath})");
        return (InputFile.ReadAll(dataPath, limits), 0);
    }

    private static Geometry GeometryOf(NrrdHeader header)
    {
        var sign = ToRas(header.Optional("space"));
        if (header.Optional("space directions") is { } directionsText)
        {
            var directions = header.Vectors(directionsText);
            if (directions.Length < 3 || directions.Take(3).Any(d => d is null || d.Length != 3))
                throw new PmcmException($"{header.Path}: NRRD 'space directions: {directionsText}' does not give three 3-D vectors");
            var origin = header.Optional("space origin") is { } o ? header.Vector(o) : [0, 0, 0];
            if (origin is null || origin.Length != 3)
                throw new PmcmException($"{header.Path}: NRRD 'space origin' is not a 3-D vector");
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
            var spacings = spacingsText.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var x) && x > 0 ? x : 1).ToArray();
            if (spacings.Length >= 3) return Geometry.WithSpacing(spacings[0], spacings[1], spacings[2]);
        }
        return Geometry.Identity;
    }

    /// <summary>Per-world-axis signs that turn the NRRD space into RAS (unknown spaces are kept as they are).</summary>
    private static double[] ToRas(string? space) => space?.ToLowerInvariant() switch
    {
        "left-posterior-superior" or "lps" => [-1, -1, 1],
        "left-anterior-superior" or "las" => [-1, 1, 1],
        _ => [1, 1, 1],
    };
}
