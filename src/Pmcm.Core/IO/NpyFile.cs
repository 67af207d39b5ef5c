using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Pmcm.Core.IO;

/// <summary>An n-dimensional array read from a NumPy .npy file, converted to float (C order).</summary>
public sealed record NpyArray(long[] Shape, float[] Data, string DType);

/// <summary>
/// Reader for NumPy's .npy format (versions 1–3): a magic string, a Python-dict header giving dtype,
/// memory order and shape, then the raw values. Supports the dtypes test vectors use (float32/64,
/// (u)int8/16/32/64, bool) in either byte order; Fortran-ordered arrays are refused.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream, stream.Length);
        }
        catch (PmcmException e)
        {
            throw new PmcmException($"{path}: {e.Message}");
        }
        catch (EndOfStreamException)
        {
            throw new PmcmException($"{path}: truncated .npy file");
        }
    }

    private static NpyArray Read(Stream stream, long length)
    {
        using var reader = new BinaryReader(stream);
        if (!reader.ReadBytes(6).AsSpan().SequenceEqual(Magic)) throw new PmcmException("not a .npy file (bad magic)");
        var major = reader.ReadByte();
        reader.ReadByte();
        var headerLength = major == 1 ? reader.ReadUInt16() : (int)reader.ReadUInt32();
        if (headerLength <= 0 || headerLength > 1 << 20) throw new PmcmException($"implausible .npy header length {headerLength}");
        var header = Encoding.Latin1.GetString(reader.ReadBytes(headerLength));

        var descr = DescrPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !shapeMatch.Success) throw new PmcmException($"unreadable .npy header: {header.Trim()}");
        if (FortranPattern().IsMatch(header)) throw new PmcmException("Fortran-ordered .npy arrays are not supported");
        var shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);

        var dtype = descr.Groups[1].Value;
        var bigEndian = dtype[0] == '>';
        var kind = dtype[1..];
        var itemSize = kind switch
        {
            "f4" or "i4" or "u4" => 4,
            "f8" or "i8" or "u8" => 8,
            "i2" or "u2" => 2,
            "u1" or "i1" or "b1" => 1,
            _ => throw new PmcmException($"unsupported .npy dtype '{dtype}'"),
        };
        var remaining = length - stream.Position;
        if (count * itemSize > remaining) throw new PmcmException($"truncated .npy file: shape needs {count * itemSize} bytes, {remaining} present");

        var raw = reader.ReadBytes(checked((int)(count * itemSize)));
        var data = new float[count];
        for (var i = 0; i < count; i++)
        {
            var b = raw.AsSpan(i * itemSize, itemSize);
            data[i] = kind switch
            {
                "f4" => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
                "f8" => (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b)),
                "i4" => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
                "u4" => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
                "i8" => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
                "u8" => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
                "i2" => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
                "u2" => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
                "i1" => (sbyte)b[0],
                _ => b[0],
            };
        }
        return new NpyArray(shape, data, dtype);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([<>|=][a-z]\d+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();
}
