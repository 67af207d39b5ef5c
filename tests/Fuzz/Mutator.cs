using System.Buffers.Binary;
using System.Text;

namespace Pmcm.Fuzz;

/// <summary>
/// Byte- and text-level mutations of a valid input: bit flips, interesting integers and floats written over
/// header fields, truncation, extension, chunk deletion and duplication, and for text headers whole-token
/// replacements. Biased towards the first <see cref="HeaderBytes"/> bytes, where the parsers make decisions.
/// </summary>
public sealed class Mutator(Random random)
{
    public const int HeaderBytes = 512;

    private static readonly long[] InterestingIntegers = [0, 1, -1, 2, 3, 7, 8, 16, 127, 128, 255, 256, 348, 351, 352, 32767, -32768, 65535, int.MaxValue, int.MinValue, 1L << 31, 1L << 40];
    private static readonly float[] InterestingFloats = [0, -0f, 1, -1, 0.5f, 348, 351, 352, 1e38f, -1e38f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, 1e-38f];
    private static readonly string[] InterestingTokens =
        ["nan", "NaN", "inf", "-inf", "-1", "0", "1e30", "4294967297", "99999999999", "", "none", "a b c", "(nan,0,0)", "(1,0)", "raw", "gzip", "bzip2", "big", "little",
         "../x", "LIST", "%d", "left-posterior-superoir", "NRRD9999", "double", "block", "1 1 1", "-1 1 1", "\u0001\u0002", "1000000 1000000 1000", ":"];

    public byte[] Mutate(byte[] input, bool text)
    {
        var data = input.ToList();
        var rounds = 1 + random.Next(random.Next(4) == 0 ? 8 : 2);
        for (var r = 0; r < rounds; r++)
        {
            if (text && random.Next(3) == 0)
            {
                data = [.. MutateText(data.ToArray())];
                continue;
            }
            switch (random.Next(10))
            {
                case 0 or 1: // flip one bit
                    if (data.Count > 0) { var at = Position(data.Count); data[at] ^= (byte)(1 << random.Next(8)); }
                    break;
                case 2: // random byte
                    if (data.Count > 0) data[Position(data.Count)] = (byte)random.Next(256);
                    break;
                case 3: // interesting integer, 1/2/4/8 bytes, either endianness
                    WriteInteger(data);
                    break;
                case 4: // interesting float
                    WriteFloat(data);
                    break;
                case 5: // truncate
                    if (data.Count > 1) { var keep = random.Next(1, data.Count); data.RemoveRange(keep, data.Count - keep); }
                    break;
                case 6: // extend with random bytes
                    data.AddRange(Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256)));
                    break;
                case 7: // delete a chunk
                    if (data.Count > 8) { var at = random.Next(data.Count - 1); data.RemoveRange(at, Math.Min(random.Next(1, 32), data.Count - at)); }
                    break;
                case 8: // duplicate a chunk
                    if (data.Count > 8) { var at = random.Next(data.Count - 1); var n = Math.Min(random.Next(1, 32), data.Count - at); data.InsertRange(Position(data.Count), data.GetRange(at, n)); }
                    break;
                default: // several bit flips close together
                    if (data.Count > 0) { var at = Position(data.Count); for (var i = 0; i < 4 && at + i < data.Count; i++) data[at + i] ^= (byte)random.Next(256); }
                    break;
            }
        }
        return [.. data];
    }

    /// <summary>Replaces a token of one header line (or a whole line) by an interesting one.</summary>
    private IEnumerable<byte> MutateText(byte[] input)
    {
        var text = Encoding.Latin1.GetString(input);
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        var (header, rest) = end < 0 ? (text, "") : (text[..end], text[end..]);
        var lines = header.Split('\n').ToList();
        var i = random.Next(lines.Count);
        switch (random.Next(4))
        {
            case 0:
                var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
                lines[i] = colon < 0 ? Pick(InterestingTokens) : lines[i][..(colon + 2)] + Pick(InterestingTokens);
                break;
            case 1:
                lines.RemoveAt(i);
                break;
            case 2:
                lines.Insert(i, lines[random.Next(lines.Count)]);
                break;
            default:
                var field = Pick(["space", "spacings", "sizes", "byte skip", "line skip", "encoding", "type", "endian", "data file", "space directions", "space origin", "dimension"]);
                lines.Insert(Math.Max(1, i), $"{field}: {Pick(InterestingTokens)}");
                break;
        }
        return Encoding.Latin1.GetBytes(string.Join('\n', lines) + rest);
    }

    private void WriteInteger(List<byte> data)
    {
        var size = Pick([1, 2, 4, 8]);
        if (data.Count < size) return;
        var at = Math.Min(Position(data.Count), data.Count - size);
        var value = Pick(InterestingIntegers);
        Span<byte> bytes = stackalloc byte[8];
        if (random.Next(2) == 0) BinaryPrimitives.WriteInt64LittleEndian(bytes, value); else BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        var slice = random.Next(2) == 0 ? bytes[..size] : bytes[(8 - size)..];
        for (var k = 0; k < size; k++) data[at + k] = slice[k];
    }

    private void WriteFloat(List<byte> data)
    {
        if (data.Count < 4) return;
        var at = Math.Min(Position(data.Count) & ~3, data.Count - 4);
        Span<byte> bytes = stackalloc byte[4];
        var value = Pick(InterestingFloats);
        if (random.Next(2) == 0) BinaryPrimitives.WriteSingleLittleEndian(bytes, value); else BinaryPrimitives.WriteSingleBigEndian(bytes, value);
        for (var k = 0; k < 4; k++) data[at + k] = bytes[k];
    }

    /// <summary>Three times in four within the header, otherwise anywhere.</summary>
    private int Position(int length) => random.Next(4) != 0 ? random.Next(Math.Min(length, HeaderBytes)) : random.Next(length);

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
