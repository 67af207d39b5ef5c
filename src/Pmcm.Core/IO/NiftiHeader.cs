using System.Buffers.Binary;
using System.Text;

namespace Pmcm.Core.IO;

/// <summary>
/// The fields of the 348-byte NIfTI-1 header that Pmcm uses, at their nifti1.h offsets, in either byte order.
/// </summary>
public sealed class NiftiHeader
{
    public const int Size = 348;

    /// <summary>Header plus the 4-byte extension flag: where single-file (.nii) voxel data starts.</summary>
    public const int DataOffset = 352;

    public bool LittleEndian { get; init; } = true;
    public short[] Dim { get; init; } = new short[8];
    public short Datatype { get; init; }
    public short Bitpix { get; init; }
    public float[] Pixdim { get; init; } = new float[8];
    public float VoxOffset { get; init; } = DataOffset;
    public float SclSlope { get; init; }
    public float SclInter { get; init; }
    public byte XyztUnits { get; init; }
    public string Descrip { get; init; } = "";
    public short QformCode { get; init; }
    public short SformCode { get; init; }
    public float QuaternB { get; init; }
    public float QuaternC { get; init; }
    public float QuaternD { get; init; }
    public float[] QOffset { get; init; } = new float[3];

    /// <summary>srow_x, srow_y, srow_z: the first three rows of the sform affine.</summary>
    public float[] Srow { get; init; } = new float[12];

    public string Magic { get; init; } = "n+1";

    public static NiftiHeader Parse(string path, byte[] bytes)
    {
        if (bytes.Length < Size)
            throw new PmcmException($"{path}: {bytes.Length} bytes is too short for a NIfTI-1 header ({Size} bytes)");
        var sizeLe = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var sizeBe = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (sizeLe != Size && sizeBe != Size)
        {
            var hint = sizeLe == 540 || sizeBe == 540 ? " (NIfTI-2 is not supported)" : "";
            throw new PmcmException($"{path}: not a NIfTI-1 file (sizeof_hdr is {sizeLe}, expected {Size}){hint}");
        }
        var r = new Reader(bytes, sizeLe == Size);
        return new NiftiHeader
        {
            LittleEndian = r.Little,
            Dim = Enumerable.Range(0, 8).Select(i => r.Int16(40 + 2 * i)).ToArray(),
            Datatype = r.Int16(70),
            Bitpix = r.Int16(72),
            Pixdim = Enumerable.Range(0, 8).Select(i => r.Single(76 + 4 * i)).ToArray(),
            VoxOffset = r.Single(108),
            SclSlope = r.Single(112),
            SclInter = r.Single(116),
            XyztUnits = bytes[123],
            Descrip = Text(bytes, 148, 80),
            QformCode = r.Int16(252),
            SformCode = r.Int16(254),
            QuaternB = r.Single(256),
            QuaternC = r.Single(260),
            QuaternD = r.Single(264),
            QOffset = [r.Single(268), r.Single(272), r.Single(276)],
            Srow = Enumerable.Range(0, 12).Select(i => r.Single(280 + 4 * i)).ToArray(),
            Magic = Text(bytes, 344, 4),
        };
    }

    /// <summary>The header followed by an empty extension flag: exactly <see cref="DataOffset"/> bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[DataOffset];
        var w = new Writer(bytes, LittleEndian);
        w.Int32(0, Size);
        for (var i = 0; i < 8; i++) w.Int16(40 + 2 * i, Dim[i]);
        w.Int16(70, Datatype);
        w.Int16(72, Bitpix);
        for (var i = 0; i < 8; i++) w.Single(76 + 4 * i, Pixdim[i]);
        w.Single(108, VoxOffset);
        w.Single(112, SclSlope);
        w.Single(116, SclInter);
        bytes[123] = XyztUnits;
        Encoding.ASCII.GetBytes(Descrip.Length > 79 ? Descrip[..79] : Descrip).CopyTo(bytes, 148);
        w.Int16(252, QformCode);
        w.Int16(254, SformCode);
        w.Single(256, QuaternB);
        w.Single(260, QuaternC);
        w.Single(264, QuaternD);
        for (var i = 0; i < 3; i++) w.Single(268 + 4 * i, QOffset[i]);
        for (var i = 0; i < 12; i++) w.Single(280 + 4 * i, Srow[i]);
        Encoding.ASCII.GetBytes(Magic).CopyTo(bytes, 344);
        return bytes;
    }

    private static string Text(byte[] bytes, int offset, int length)
    {
        var span = bytes.AsSpan(offset, length);
        var end = span.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
    }

    private readonly record struct Reader(byte[] Bytes, bool Little)
    {
        public short Int16(int at) => Little ? BinaryPrimitives.ReadInt16LittleEndian(Bytes.AsSpan(at)) : BinaryPrimitives.ReadInt16BigEndian(Bytes.AsSpan(at));
        public float Single(int at) => Little ? BinaryPrimitives.ReadSingleLittleEndian(Bytes.AsSpan(at)) : BinaryPrimitives.ReadSingleBigEndian(Bytes.AsSpan(at));
    }

    private readonly record struct Writer(byte[] Bytes, bool Little)
    {
        public void Int32(int at, int v) { if (Little) BinaryPrimitives.WriteInt32LittleEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt32BigEndian(Bytes.AsSpan(at), v); }
        public void Int16(int at, short v) { if (Little) BinaryPrimitives.WriteInt16LittleEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt16BigEndian(Bytes.AsSpan(at), v); }
        public void Single(int at, float v) { if (Little) BinaryPrimitives.WriteSingleLittleEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteSingleBigEndian(Bytes.AsSpan(at), v); }
    }
}
