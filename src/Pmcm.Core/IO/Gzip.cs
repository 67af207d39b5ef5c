using System.IO.Compression;

namespace Pmcm.Core.IO;

/// <summary>Gzip helpers that turn corrupt streams into <see cref="PmcmException"/> and never inflate past a limit.</summary>
public static class Gzip
{
    public static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    /// <summary>Inflates <paramref name="compressed"/> from <paramref name="offset"/>, failing once more than <paramref name="maxBytes"/> come out.</summary>
    public static byte[] Decompress(string path, byte[] compressed, int offset, long maxBytes)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, offset, compressed.Length - offset), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[1 << 16];
            int n;
            while ((n = gzip.Read(buffer)) > 0)
            {
                if (output.Length + n > maxBytes)
                    throw new PmcmException($"{path}: decompressed data exceeds {maxBytes} bytes; the file is corrupt or not a volume");
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new PmcmException($"{path}: corrupt gzip data ({e.Message})", e);
        }
    }

    public static byte[] Compress(ReadOnlySpan<byte> bytes, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }
}
