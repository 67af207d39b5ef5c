using System.Buffers.Binary;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.IO;

public class NiftiTests
{
    private static readonly Shape3 Shape = new(2, 3, 4);

    public static TheoryData<VoxelType, bool, bool> AllTypes()
    {
        var data = new TheoryData<VoxelType, bool, bool>();
        foreach (var type in Enum.GetValues<VoxelType>())
        foreach (var little in new[] { true, false })
        foreach (var gzip in new[] { false, true })
            data.Add(type, little, gzip);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Round_trip_keeps_every_voxel_type_and_value(VoxelType type, bool littleEndian, bool gzip)
    {
        using var dir = new TempDir();
        var path = dir.File(gzip ? "v.nii.gz" : "v.nii");
        var volume = TestVolumes.Ramp(Shape, type, TestVolumes.Oblique());
        NiftiWriter.Write(path, volume, new NiftiWriteOptions(LittleEndian: littleEndian, Gzip: gzip));

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(gzip, Gzip.HasMagic(bytes));
        var back = NiftiReader.Read(path);
        Assert.Equal(type, back.Type);
        TestVolumes.AssertSameVoxels(volume, back);
        TestVolumes.AssertSameGeometry(volume.Geometry, back.Geometry);
    }

    [Fact]
    public void Writing_as_another_type_converts_with_rounding_and_clamping()
    {
        var volume = new Volume(new Shape3(1, 1, 4), [-3.6f, 0.4f, 254.6f, 1000f], type: VoxelType.Float32);
        var back = NiftiReader.Decode("mem.nii", NiftiWriter.Encode(volume, new NiftiWriteOptions(Type: VoxelType.UInt8)));
        Assert.Equal(VoxelType.UInt8, back.Type);
        Assert.Equal([0f, 0f, 255f, 255f], back.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Geometry_round_trips_through_sform_and_qform_alike(bool reflect)
    {
        var volume = TestVolumes.Ramp(Shape, VoxelType.Int16, TestVolumes.Oblique(reflect));
        var bytes = NiftiWriter.Encode(volume);
        TestVolumes.AssertSameGeometry(volume.Geometry, NiftiReader.Decode("sform.nii", bytes).Geometry);

        // Switch the sform off: the qform alone must give the same geometry.
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(254), 0);
        TestVolumes.AssertSameGeometry(volume.Geometry, NiftiReader.Decode("qform.nii", bytes).Geometry);
    }

    [Fact]
    public void Hand_built_file_is_read_x_fastest_into_volume_xyz()
    {
        // int16 file voxel (i, j, k) at file index i + 2(j + 3k) holds that index, as nibabel writes arr[i, j, k].
        var bytes = HandBuilt(datatype: 4, bitpix: 16, count: 24, (b, n) => BinaryPrimitives.WriteInt16LittleEndian(b, (short)n));
        var v = NiftiReader.Decode("hand.nii", bytes);
        Assert.Equal(new Shape3(2, 3, 4), v.Shape);
        Assert.Equal(VoxelType.Int16, v.Type);
        for (var x = 0; x < 2; x++)
        for (var y = 0; y < 3; y++)
        for (var z = 0; z < 4; z++)
            Assert.Equal(x + 2 * (y + 3 * z), v[x, y, z]);
        Assert.Equal([0.5, 0.75, 3.0], v.Geometry.Spacing);
        Assert.Equal(Geometry.Identity.Direction, v.Geometry.Direction);
    }

    [Fact]
    public void Scl_slope_and_inter_are_applied_and_slope_zero_means_none()
    {
        var bytes = HandBuilt(datatype: 2, bitpix: 8, count: 24, (b, n) => b[0] = (byte)n);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), 2f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(116), -1f);
        var scaled = NiftiReader.Decode("scaled.nii", bytes);
        Assert.Equal(VoxelType.Float32, scaled.Type);
        Assert.Equal(2f * (1 + 2 * (2 + 3 * 3)) - 1, scaled[1, 2, 3]);

        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), 0f);
        var unscaled = NiftiReader.Decode("unscaled.nii", bytes);
        Assert.Equal(VoxelType.UInt8, unscaled.Type);
        Assert.Equal(1 + 2 * (2 + 3 * 3), unscaled[1, 2, 3]);
    }

    [Fact]
    public void Qform_quaternion_of_90_degrees_about_z_gives_that_rotation()
    {
        var bytes = HandBuilt(datatype: 2, bitpix: 8, count: 24, (b, n) => b[0] = (byte)n);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(252), 1);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(264), MathF.Sqrt(0.5f));
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(268), 10f);
        var g = NiftiReader.Decode("q.nii", bytes).Geometry;
        TestVolumes.AssertSameGeometry(new Geometry([0.5, 0.75, 3], [10, 0, 0], [0, -1, 0, 1, 0, 0, 0, 0, 1]), g);
    }

    [Fact]
    public void Four_d_with_one_time_point_is_read_as_3d()
    {
        var bytes = HandBuilt(datatype: 2, bitpix: 8, count: 24, (b, n) => b[0] = (byte)n);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), 4);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(48), 1);
        Assert.Equal(new Shape3(2, 3, 4), NiftiReader.Decode("t1.nii", bytes).Shape);
    }

    [Fact]
    public void Truncated_gzip_file_is_a_clear_error()
    {
        using var dir = new TempDir();
        var path = dir.File("cut.nii.gz");
        var full = NiftiWriter.Encode(TestVolumes.Ramp(new Shape3(8, 8, 8), VoxelType.Float32), new NiftiWriteOptions(Gzip: true));
        File.WriteAllBytes(path, full[..(full.Length / 2)]);
        var e = Assert.Throws<PmcmException>(() => NiftiReader.Read(path));
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void Corrupt_gzip_data_is_a_clear_error()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.nii.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        var e = Assert.Throws<PmcmException>(() => NiftiReader.Read(path));
        Assert.Contains("gzip", e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void Truncated_data_is_a_clear_error()
    {
        var bytes = HandBuilt(datatype: 4, bitpix: 16, count: 24, (b, n) => BinaryPrimitives.WriteInt16LittleEndian(b, (short)n));
        var e = Assert.Throws<PmcmException>(() => NiftiReader.Decode("short.nii", bytes[..^10]));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Absurd_dimensions_fail_before_allocating()
    {
        var bytes = HandBuilt(datatype: 16, bitpix: 32, count: 24, (b, n) => BinaryPrimitives.WriteSingleLittleEndian(b, n));
        foreach (var i in new[] { 1, 2, 3 }) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40 + 2 * i), 32000);
        var e = Assert.Throws<PmcmException>(() => NiftiReader.Decode("huge.nii", bytes));
        Assert.Contains("huge.nii", e.Message);

        // Within the voxel cap but far beyond the file's bytes: caught by the length check instead.
        foreach (var i in new[] { 1, 2, 3 }) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40 + 2 * i), 500);
        Assert.Contains("truncated", Assert.Throws<PmcmException>(() => NiftiReader.Decode("big.nii", bytes)).Message);
    }

    [Theory]
    [InlineData(768, "uint32")]
    [InlineData(32, "complex64")]
    public void Unsupported_datatype_is_named(short code, string name)
    {
        var bytes = HandBuilt(datatype: code, bitpix: 32, count: 24, (_, _) => { });
        var e = Assert.Throws<PmcmException>(() => NiftiReader.Decode("odd.nii", bytes));
        Assert.Contains(name, e.Message);
        Assert.Contains("odd.nii", e.Message);
    }

    [Fact]
    public void Non_3d_and_non_nifti_and_missing_files_are_clear_errors()
    {
        var bytes = HandBuilt(datatype: 2, bitpix: 8, count: 24, (b, n) => b[0] = (byte)n);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), 4);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(48), 5);
        Assert.Contains("only 3-D", Assert.Throws<PmcmException>(() => NiftiReader.Decode("4d.nii", bytes)).Message);

        Assert.Contains("not a NIfTI-1", Assert.Throws<PmcmException>(() => NiftiReader.Decode("text.nii", new byte[400])).Message);
        Assert.Contains("no such file", Assert.Throws<PmcmException>(() => NiftiReader.Read("/nonexistent/x.nii")).Message);
    }

    /// <summary>A 2×3×4 little-endian .nii built byte by byte from the nifti1.h offsets, independent of NiftiHeader.</summary>
    private static byte[] HandBuilt(short datatype, short bitpix, int count, Action<Span<byte>, int> writeVoxel)
    {
        var size = bitpix / 8;
        var bytes = new byte[352 + count * size];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 348);
        short[] dim = [3, 2, 3, 4, 1, 1, 1, 1];
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40 + 2 * i), dim[i]);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(70), datatype);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(72), bitpix);
        float[] pixdim = [1, 0.5f, 0.75f, 3, 1, 1, 1, 1];
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(76 + 4 * i), pixdim[i]);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(108), 352);
        "n+1\0"u8.CopyTo(bytes.AsSpan(344));
        for (var n = 0; n < count; n++) writeVoxel(bytes.AsSpan(352 + n * size, size), n);
        return bytes;
    }
}
