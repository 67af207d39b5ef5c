using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>
/// The parsed text header of a NRRD file (teem.sourceforge.net/nrrd/format.html): "field: value" lines
/// after a "NRRD000n" magic line, ended by a blank line (attached data follows it) or by the end of a .nhdr.
/// </summary>
public sealed class NrrdHeader
{
    /// <summary>Longest header accepted; real ones are a few hundred bytes.</summary>
    public const int MaxHeaderBytes = 1 << 16;

    private static readonly Dictionary<string, VoxelType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["signed char"] = VoxelType.Int8, ["int8"] = VoxelType.Int8, ["int8_t"] = VoxelType.Int8,
        ["uchar"] = VoxelType.UInt8, ["unsigned char"] = VoxelType.UInt8, ["uint8"] = VoxelType.UInt8, ["uint8_t"] = VoxelType.UInt8,
        ["short"] = VoxelType.Int16, ["short int"] = VoxelType.Int16, ["signed short"] = VoxelType.Int16, ["signed short int"] = VoxelType.Int16,
        ["int16"] = VoxelType.Int16, ["int16_t"] = VoxelType.Int16,
        ["ushort"] = VoxelType.UInt16, ["unsigned short"] = VoxelType.UInt16, ["unsigned short int"] = VoxelType.UInt16,
        ["uint16"] = VoxelType.UInt16, ["uint16_t"] = VoxelType.UInt16,
        ["int"] = VoxelType.Int32, ["signed int"] = VoxelType.Int32, ["int32"] = VoxelType.Int32, ["int32_t"] = VoxelType.Int32,
        ["float"] = VoxelType.Float32, ["double"] = VoxelType.Float64,
    };

    private NrrdHeader(string path, Dictionary<string, string> fields, int dataOffset)
    {
        Path = path;
        Fields = fields;
        DataOffset = dataOffset;
    }

    public string Path { get; }

    /// <summary>Field values keyed by lower-case field name.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>Where attached data starts (the byte after the blank line), or the header's length.</summary>
    public int DataOffset { get; }

    public static NrrdHeader Parse(string path, byte[] bytes) => Parse(path, bytes, bytes.Length);

    /// <summary>Parses the header from the first bytes of a file of <paramref name="fileLength"/> bytes (at least the first <see cref="MaxHeaderBytes"/>).</summary>
    public static NrrdHeader Parse(string path, byte[] bytes, long fileLength)
    {
        if (bytes.Length < 8 || Encoding.ASCII.GetString(bytes, 0, 4) != "NRRD")
            throw new PmcmException($"{path}: not a NRRD file (it does not start with 'NRRD000n')");
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pos = 0;
        var first = true;
        while (true)
        {
            if (pos >= bytes.Length)
            {
                if (fileLength > bytes.Length)
                    throw new PmcmException($"{path}: NRRD header has no end within {MaxHeaderBytes} bytes; the file is corrupt");
                break;
            }
            var end = Array.IndexOf(bytes, (byte)'\n', pos, Math.Min(bytes.Length, MaxHeaderBytes) - pos);
            if (end < 0)
            {
                if (fileLength > MaxHeaderBytes)
                    throw new PmcmException($"{path}: NRRD header has no end within {MaxHeaderBytes} bytes; the file is corrupt");
                end = bytes.Length;
            }
            var line = Encoding.Latin1.GetString(bytes, pos, end - pos).TrimEnd('\r');
            pos = Math.Min(end + 1, bytes.Length);
            if (first)
            {
                first = false;
                // teem writes NRRD0001..NRRD0005; anything else is not a version it defines.
                if (!Regex.IsMatch(line, "^NRRD000[1-5]$"))
                    throw new PmcmException($"{path}: magic '{Printable.Clip(line, 16)}' is not a NRRD version (NRRD0001..NRRD0005)");
                continue;
            }
            if (line.Length == 0) break;
            if (line.StartsWith('#')) continue;
            if (line.Any(c => char.IsControl(c) && c != '\t' || c > '~'))
                throw new PmcmException($"{path}: NRRD header line '{Printable.Clip(line)}' holds bytes that are not text; the header is corrupt");
            if (line.Contains(":=")) continue;
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0) throw new PmcmException($"{path}: NRRD header line '{Printable.Clip(line)}' is not 'field: value'");
            fields[line[..colon].Trim()] = line[(colon + 2)..].Trim();
        }
        return new NrrdHeader(path, fields, pos);
    }

    public string Required(string field) =>
        Fields.TryGetValue(field, out var v) ? v : throw new PmcmException($"{Path}: NRRD header has no '{field}' field");

    public string? Optional(string field) => Fields.TryGetValue(field, out var v) ? v : null;

    public VoxelType Type()
    {
        var name = Required("type");
        return Types.TryGetValue(name, out var t)
            ? t
            : throw new PmcmException($"{Path}: NRRD type '{Printable.Clip(name)}' is not supported; supported: int8, uint8, int16, uint16, int32, float, double");
    }

    /// <summary>The 3-D size (a 4th axis is allowed when its size is 1); sizes are checked before use.</summary>
    public Shape3 Shape(ReadLimits limits)
    {
        var dimension = Integer("dimension");
        var sizes = Required("sizes").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
        if (sizes.Length != dimension || sizes.Any(n => n < 1))
            throw new PmcmException($"{Path}: NRRD sizes '{Printable.Clip(Fields["sizes"])}' do not give {dimension} positive sizes");
        if (dimension < 3 || sizes.Skip(3).Any(n => n != 1))
            throw new PmcmException($"{Path}: only 3-D volumes are supported, this one has sizes [{string.Join(", ", sizes)}]");
        limits.CheckVoxels(Path, (double)sizes[0] * sizes[1] * sizes[2], "the NRRD header");
        return new Shape3((int)sizes[0], (int)sizes[1], (int)sizes[2]);
    }

    public bool LittleEndian() => (Optional("endian") ?? "little").ToLowerInvariant() switch
    {
        "little" => true,
        "big" => false,
        var e => throw new PmcmException($"{Path}: NRRD endian '{Printable.Clip(e)}' is neither little nor big"),
    };

    public int Integer(string field) =>
        int.TryParse(Required(field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new PmcmException($"{Path}: NRRD field '{field}: {Printable.Clip(Fields[field])}' is not an integer");

    /// <summary>Parses "(a,b,c)" into numbers; "none" gives null.</summary>
    public double[]? Vector(string text)
    {
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        var inner = text.Trim().TrimStart('(').TrimEnd(')');
        var parts = inner.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new PmcmException($"{Path}: NRRD vector '{Printable.Clip(text)}' is not numeric");
        return values;
    }

    /// <summary>Splits "(a,b,c) (d,e,f) none" into its vectors.</summary>
    public double[]?[] Vectors(string text) =>
        Regex.Matches(text, @"\([^)]*\)|none", RegexOptions.IgnoreCase).Select(m => Vector(m.Value)).ToArray();
}
