using System.IO.Compression;
using System.IO.Hashing;

namespace Pmcm.Core.IO;

/// <summary>
/// Reads every entry of a zip archive (Pmcm checkpoints, PyTorch <c>.pth</c> files) and checks it against the
/// CRC-32 and size the archive records, so a flipped byte is reported before any content is interpreted.
/// </summary>
public static class ZipIntegrity
{
    /// <summary>The entries in archive order with their verified contents; at most <paramref name="maxBytes"/> in all.</summary>
    /// <param name="what">What the archive should be, for errors (e.g. "PyTorch state_dict").</param>
    public static IReadOnlyList<(string Name, byte[] Content)> ReadVerified(string path, string what, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new PmcmException($"{path}: no such file");
        if (info.Length > maxBytes) throw new PmcmException($"{path}: {info.Length} bytes is more than the {maxBytes} bytes a {what} can take; the file is corrupt");
        using var file = File.OpenRead(path);
        return ReadVerified(path, what, file, maxBytes);
    }

    /// <summary>As <see cref="ReadVerified(string, string, long)"/> for an archive already open (e.g. held in memory); <paramref name="path"/> names it in errors.</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> ReadVerified(string path, string what, Stream archive, long maxBytes)
    {
        try
        {
            using var zip = new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
            var entries = new List<(string, byte[])>();
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                var name = Printable.Clip(entry.FullName, 80);
                total += entry.Length;
                if (entry.Length < 0 || total > maxBytes)
                    throw new PmcmException($"{path}: not a readable {what}: its entries declare more than {maxBytes} bytes");
                var content = new byte[entry.Length];
                using (var stream = entry.Open())
                {
                    stream.ReadExactly(content);
                    if (stream.ReadByte() >= 0)
                        throw new PmcmException($"{path}: not a readable {what}: entry '{name}' holds more bytes than its recorded size");
                }
                if (Crc32.HashToUInt32(content) != entry.Crc32)
                    throw new PmcmException($"{path}: not a readable {what}: entry '{name}' fails its CRC-32 check (the file is corrupt)");
                entries.Add((entry.FullName, content));
            }
            return entries;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or NotSupportedException or IOException)
        {
            throw new PmcmException($"{path}: not a readable {what}: corrupt archive ({Printable.Clip(e.Message, 120)})", e);
        }
    }
}
