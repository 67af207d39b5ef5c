using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.IO;

/// <summary>Issue 11, defects 3, 9 and 10: files written by Pmcm's own writers, then damaged the way the probing damaged them.</summary>
public class ReaderHardeningTests
{
    [Fact]
    public void Detached_nrrd_reads_only_the_described_bytes_of_a_huge_data_file()
    {
        using var dir = new TempDir();
        // A 3 GB sparse data file (no disk used) holding a 10×8×6 uint8 volume 1000 bytes in.
        var dataPath = dir.File("big.raw");
        using (var data = File.Create(dataPath))
        {
            data.SetLength(3L << 30);
            data.Position = 1000;
            for (var n = 0; n < 480; n++) data.WriteByte((byte)(n % 251));
        }
        File.WriteAllText(dir.File("v.nhdr"), "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 10 8 6\nencoding: raw\nbyte skip: 1000\ndata file: big.raw\n");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var v = NrrdReader.Read(dir.File("v.nhdr"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(new Shape3(10, 8, 6), v.Shape);
        Assert.Equal(77 % 251, v[7, 7, 0]);
        Assert.Equal(479 % 251, v[9, 7, 5]);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes for a 480-byte volume");
    }

    [Fact]
    public void Detached_nrrd_on_an_endless_device_reads_just_the_volume()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("zero.nhdr"), "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 10 8 6\nencoding: raw\ndata file: /dev/zero\n");
        var clock = Stopwatch.StartNew();
        var v = NrrdReader.Read(dir.File("zero.nhdr"));
        Assert.Equal(480, v.Data.Length);
        Assert.All(v.Data, x => Assert.Equal(0f, x));
        Assert.True(clock.Elapsed.TotalSeconds < 2);
    }

    [Fact]
    public void Line_skip_passes_text_lines_before_the_data()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("v.raw"), [.. "first line\nsecond\n"u8, 1, 2, 3, 4, 5, 6]);
        File.WriteAllText(dir.File("v.nhdr"), "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 1 2 3\nencoding: raw\nline skip: 2\ndata file: v.raw\n");
        // Stored X fastest (1 at (0,0,0), 2 at (0,1,0), 3 at (0,0,1), …); Data is X slowest.
        Assert.Equal([1f, 3, 5, 2, 4, 6], NrrdReader.Read(dir.File("v.nhdr")).Data);
    }

    [Theory]
    [InlineData("space: left-posterior-superoir", "space 'left-posterior-superoir' is not supported")]
    [InlineData("space: made-up-space", "is not supported")]
    [InlineData("spacings: nan nan nan", "three positive finite spacings")]
    [InlineData("spacings: a b c", "three positive finite spacings")]
    [InlineData("spacings: -1 1 1", "three positive finite spacings")]
    [InlineData("space directions: (nan,0,0) (0,1,0) (0,0,1)", "NaN or infinity")]
    [InlineData("space directions: (1,0,0) (0,1,0) (0,0,1)\nspace origin: (Infinity,0,0)", "NaN or infinity")]
    public void Garbage_nrrd_geometry_is_a_clear_error(string field, string expected)
    {
        using var dir = new TempDir();
        var path = dir.File("g.nrrd");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes($"NRRD0004\ntype: uint8\ndimension: 3\nsizes: 1 2 3\n{field}\nencoding: raw\n\n"), 1, 2, 3, 4, 5, 6]);
        var e = Assert.Throws<PmcmException>(() => NrrdReader.Read(path));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Unknown_nrrd_magic_is_refused()
    {
        using var dir = new TempDir();
        var path = dir.File("m.nrrd");
        var bytes = NrrdWriter.Encode(TestVolumes.Ramp(new Shape3(2, 3, 4), VoxelType.UInt8), new NrrdWriteOptions(Gzip: false));
        Encoding.ASCII.GetBytes("NRRD9999").CopyTo(bytes, 0);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("'NRRD9999' is not a NRRD version", Assert.Throws<PmcmException>(() => NrrdReader.Read(path)).Message);
    }

    [Fact]
    public void Binary_in_a_nrrd_header_is_reported_printably_and_briefly()
    {
        using var dir = new TempDir();
        var path = dir.File("bin.nrrd");
        var gzip = Gzip.Compress(new byte[4000].Select((_, i) => (byte)(i * 7919 % 256)).ToArray());
        File.WriteAllBytes(path, [.. "NRRD0004\n"u8, .. gzip, .. "\n\n"u8]);
        var message = Assert.Throws<PmcmException>(() => NrrdReader.Read(path)).Message;
        Assert.DoesNotContain(message, c => char.IsControl(c) || c == '\uFFFD');
        Assert.True(message.Length < path.Length + 200, message);
    }

    [Theory]
    [InlineData(348f)]
    [InlineData(351f)]
    [InlineData(float.NaN)]
    [InlineData(352.5f)]
    public void Nifti_vox_offset_inside_the_header_or_not_whole_is_refused(float offset)
    {
        var bytes = NiftiWriter.Encode(TestVolumes.Ramp(new Shape3(2, 3, 4), VoxelType.Int16));
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(108), offset);
        Assert.Contains("vox_offset", Assert.Throws<PmcmException>(() => NiftiReader.Decode("o.nii", bytes)).Message);
    }

    [Theory]
    [InlineData(280, "sform")] // srow_x[0]
    [InlineData(292, "sform")] // srow_x[3], an offset
    public void Non_finite_sform_is_refused(int at, string expected)
    {
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity })
        {
            var bytes = NiftiWriter.Encode(TestVolumes.Ramp(new Shape3(2, 3, 4), VoxelType.Int16));
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), bad);
            Assert.Contains(expected, Assert.Throws<PmcmException>(() => NiftiReader.Decode("s.nii", bytes)).Message);
        }
    }

    [Theory]
    [InlineData(256, "quaternion")]
    [InlineData(272, "qform offset")]
    public void Non_finite_qform_is_refused_when_the_qform_is_used(int at, string expected)
    {
        var bytes = NiftiWriter.Encode(TestVolumes.Ramp(new Shape3(2, 3, 4), VoxelType.Int16));
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(254), 0); // sform_code 0: the qform decides
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), float.NaN);
        Assert.Contains(expected, Assert.Throws<PmcmException>(() => NiftiReader.Decode("q.nii", bytes)).Message);
    }

    [Fact]
    public void Scl_slope_overflowing_float32_is_refused()
    {
        // int16 ramp 0..23: 23 × 1e38 is beyond float32's 3.4e38.
        var bytes = NiftiWriter.Encode(TestVolumes.Ramp(new Shape3(2, 3, 4), VoxelType.Int16));
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), 1e38f);
        Assert.Contains("beyond float32", Assert.Throws<PmcmException>(() => NiftiReader.Decode("slope.nii", bytes)).Message);
    }

    [Fact]
    public void Gzipped_nifti_is_streamed_with_memory_near_the_float_volume()
    {
        using var dir = new TempDir();
        var path = dir.File("big.nii.gz");
        var shape = new Shape3(128, 128, 128);
        NiftiWriter.Write(path, TestVolumes.Ramp(shape, VoxelType.Int16), new NiftiWriteOptions(Gzip: true));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var v = NiftiReader.Read(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(shape, v.Shape);
        // The float volume is 8 MB; reading the file whole, inflating it and decoding took over three times that.
        Assert.True(allocated < shape.Count * sizeof(float) + (4 << 20), $"allocated {allocated} bytes");
    }
}
