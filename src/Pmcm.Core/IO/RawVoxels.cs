using System.Buffers.Binary;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>
/// Converts between raw voxel bytes stored X fastest (Fortran order, as NIfTI and NRRD store them) and
/// Pmcm's C-order float data (X slowest). Doing the transpose here keeps Volume[x,y,z] equal to the
/// file's voxel (i=x, j=y, k=z), exactly as nibabel and h5py index the same array.
/// </summary>
public static class RawVoxels
{
    /// <summary>Encodes a volume X fastest as <paramref name="type"/>; integer types are rounded and clamped to their range.</summary>
    public static byte[] EncodeFortran(Volume volume, VoxelType type, bool littleEndian)
    {
        var shape = volume.Shape;
        var size = type.ByteSize();
        var bytes = new byte[shape.Count * size];
        var plane = (long)shape.X * shape.Y;
        Parallel.For(0, shape.Z, k =>
        {
            for (var j = 0; j < shape.Y; j++)
            {
                var pos = (k * plane + (long)j * shape.X) * size;
                for (var i = 0; i < shape.X; i++, pos += size)
                    Write(bytes.AsSpan((int)pos, size), volume.Data[shape.Index(i, j, k)], type, littleEndian);
            }
        });
        return bytes;
    }

    /// <summary>Voxels decoded or encoded per chunk by the streaming methods (a few MB, whatever the volume).</summary>
    private const int ChunkVoxels = 1 << 20;

    /// <summary>
    /// Reads exactly shape.Count voxels X fastest from <paramref name="stream"/>, a chunk at a time, so memory is the
    /// float volume plus one chunk. Fewer bytes than needed is a <see cref="PmcmException"/> naming both counts.
    /// </summary>
    public static float[] ReadFortran(Stream stream, Shape3 shape, VoxelType type, bool littleEndian, string path)
    {
        var size = type.ByteSize();
        float[]? data = null;
        var buffer = new byte[(int)Math.Min(shape.Count, ChunkVoxels) * size];
        var (i, j, k) = (0, 0, 0);
        for (long done = 0; done < shape.Count;)
        {
            var count = (int)Math.Min(shape.Count - done, ChunkVoxels);
            var got = stream.ReadAtLeast(buffer.AsSpan(0, count * size), count * size, throwOnEndOfStream: false);
            if (got < count * size)
                throw new PmcmException($"{path}: truncated: shape {shape} of {type.Name()} needs {shape.Count * size} data bytes but only {done * size + got} are there");
            // Allocated once the first chunk is there, so an empty or short stream of unknown length costs nothing.
            data ??= new float[shape.Count];
            for (var n = 0; n < count; n++)
            {
                data[shape.Index(i, j, k)] = Read(buffer.AsSpan(n * size, size), type, littleEndian);
                if (++i < shape.X) continue;
                i = 0;
                if (++j < shape.Y) continue;
                j = 0;
                k++;
            }
            done += count;
        }
        return data!;
    }

    /// <summary>Writes the volume X fastest as <paramref name="type"/> to <paramref name="stream"/>, a chunk at a time.</summary>
    public static void WriteFortran(Stream stream, Volume volume, VoxelType type, bool littleEndian)
    {
        var shape = volume.Shape;
        var size = type.ByteSize();
        var buffer = new byte[(int)Math.Min(shape.Count, ChunkVoxels) * size];
        var (i, j, k) = (0, 0, 0);
        for (long done = 0; done < shape.Count;)
        {
            var count = (int)Math.Min(shape.Count - done, ChunkVoxels);
            for (var n = 0; n < count; n++)
            {
                Write(buffer.AsSpan(n * size, size), volume.Data[shape.Index(i, j, k)], type, littleEndian);
                if (++i < shape.X) continue;
                i = 0;
                if (++j < shape.Y) continue;
                j = 0;
                k++;
            }
            stream.Write(buffer, 0, count * size);
            done += count;
        }
    }

    public static float Read(ReadOnlySpan<byte> b, VoxelType type, bool little) => type switch
    {
        VoxelType.UInt8 => b[0],
        VoxelType.Int8 => (sbyte)b[0],
        VoxelType.Int16 => little ? BinaryPrimitives.ReadInt16LittleEndian(b) : BinaryPrimitives.ReadInt16BigEndian(b),
        VoxelType.UInt16 => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b),
        VoxelType.Int32 => little ? BinaryPrimitives.ReadInt32LittleEndian(b) : BinaryPrimitives.ReadInt32BigEndian(b),
        VoxelType.Float32 => little ? BinaryPrimitives.ReadSingleLittleEndian(b) : BinaryPrimitives.ReadSingleBigEndian(b),
        VoxelType.Float64 => (float)(little ? BinaryPrimitives.ReadDoubleLittleEndian(b) : BinaryPrimitives.ReadDoubleBigEndian(b)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static void Write(Span<byte> b, float value, VoxelType type, bool little)
    {
        switch (type)
        {
            case VoxelType.UInt8: b[0] = (byte)ToInteger(value, byte.MinValue, byte.MaxValue); break;
            case VoxelType.Int8: b[0] = (byte)(sbyte)ToInteger(value, sbyte.MinValue, sbyte.MaxValue); break;
            case VoxelType.Int16:
                var s = (short)ToInteger(value, short.MinValue, short.MaxValue);
                if (little) BinaryPrimitives.WriteInt16LittleEndian(b, s); else BinaryPrimitives.WriteInt16BigEndian(b, s);
                break;
            case VoxelType.UInt16:
                var u = (ushort)ToInteger(value, ushort.MinValue, ushort.MaxValue);
                if (little) BinaryPrimitives.WriteUInt16LittleEndian(b, u); else BinaryPrimitives.WriteUInt16BigEndian(b, u);
                break;
            case VoxelType.Int32:
                var n = (int)ToInteger(value, int.MinValue, int.MaxValue);
                if (little) BinaryPrimitives.WriteInt32LittleEndian(b, n); else BinaryPrimitives.WriteInt32BigEndian(b, n);
                break;
            case VoxelType.Float32:
                if (little) BinaryPrimitives.WriteSingleLittleEndian(b, value); else BinaryPrimitives.WriteSingleBigEndian(b, value);
                break;
            case VoxelType.Float64:
                if (little) BinaryPrimitives.WriteDoubleLittleEndian(b, value); else BinaryPrimitives.WriteDoubleBigEndian(b, value);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    /// <summary>Nearest integer within [min, max]; NaN becomes 0 (integer files cannot hold it).</summary>
    public static long ToInteger(float value, long min, long max) =>
        float.IsNaN(value) ? 0 : Math.Clamp((long)Math.Round((double)Math.Clamp(value, (double)min, max)), min, max);
}
