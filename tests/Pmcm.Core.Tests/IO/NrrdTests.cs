using System.Text;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.IO;

public class NrrdTests
{
    private static readonly Shape3 Shape = new(2, 3, 4);

    public static TheoryData<VoxelType, bool> AllTypes()
    {
        var data = new TheoryData<VoxelType, bool>();
        foreach (var type in Enum.GetValues<VoxelType>())
        foreach (var gzip in new[] { false, true })
            data.Add(type, gzip);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Round_trip_keeps_every_voxel_type_value_and_geometry(VoxelType type, bool gzip)
    {
        using var dir = new TempDir();
        var path = dir.File("v.nrrd");
        var volume = TestVolumes.Ramp(Shape, type, TestVolumes.Oblique(reflect: true));
        NrrdWriter.Write(path, volume, new NrrdWriteOptions(Gzip: gzip));

        var back = NrrdReader.Read(path);
        Assert.Equal(type, back.Type);
        TestVolumes.AssertSameVoxels(volume, back);
        TestVolumes.AssertSameGeometry(volume.Geometry, back.Geometry, 1e-12);
    }

    [Fact]
    public void Hand_written_lps_file_is_read_x_fastest_and_converted_to_ras()
    {
        using var dir = new TempDir();
        var path = dir.File("hand.nrrd");
        var data = new byte[24];
        for (var n = 0; n < 24; n++) data[n] = (byte)n;
        Write(path, """
            NRRD0004
            # a comment
            type: unsigned char
            dimension: 3
            space: left-posterior-superior
            sizes: 2 3 4
            space directions: (0.5,0,0) (0,0.75,0) (0,0,3)
            kinds: domain domain domain
            encoding: raw
            space origin: (-10,20,30)
            """, data);

        var v = NrrdReader.Read(path);
        Assert.Equal(new Shape3(2, 3, 4), v.Shape);
        Assert.Equal(VoxelType.UInt8, v.Type);
        for (var x = 0; x < 2; x++)
        for (var y = 0; y < 3; y++)
        for (var z = 0; z < 4; z++)
            Assert.Equal(x + 2 * (y + 3 * z), v[x, y, z]);
        // LPS → RAS flips the first two world axes of directions and origin.
        TestVolumes.AssertSameGeometry(new Geometry([0.5, 0.75, 3], [10, -20, 30], [-1, 0, 0, 0, -1, 0, 0, 0, 1]), v.Geometry);
    }

    [Fact]
    public void Big_endian_shorts_with_spacings_are_read()
    {
        using var dir = new TempDir();
        var path = dir.File("be.nrrd");
        Write(path, "NRRD0004\ntype: short\ndimension: 3\nsizes: 1 1 2\nspacings: 2 3 4\nendian: big\nencoding: raw", [0x01, 0x02, 0xff, 0xfe]);
        var v = NrrdReader.Read(path);
        Assert.Equal([258f, -2f], v.Data);
        Assert.Equal([2.0, 3.0, 4.0], v.Geometry.Spacing);
    }

    [Fact]
    public void Detached_header_reads_its_gzip_data_file()
    {
        using var dir = new TempDir();
        var volume = TestVolumes.Ramp(Shape, VoxelType.Int16);
        File.WriteAllBytes(dir.File("v.raw.gz"), Gzip.Compress(RawVoxels.EncodeFortran(volume, VoxelType.Int16, littleEndian: true)));
        File.WriteAllText(dir.File("v.nhdr"), "NRRD0004\ntype: int16\ndimension: 3\nsizes: 2 3 4\nendian: little\nencoding: gz\ndata file: v.raw.gz\n");
        TestVolumes.AssertSameVoxels(volume, VolumeIO.Read(dir.File("v.nhdr")));
    }

    [Fact]
    public void Truncated_raw_and_gzip_data_are_clear_errors()
    {
        using var dir = new TempDir();
        var volume = TestVolumes.Ramp(new Shape3(8, 8, 8), VoxelType.Float32);
        foreach (var gzip in new[] { false, true })
        {
            var path = dir.File($"cut{gzip}.nrrd");
            var full = NrrdWriter.Encode(volume, new NrrdWriteOptions(Gzip: gzip));
            File.WriteAllBytes(path, full[..(full.Length - 300)]);
            var e = Assert.Throws<PmcmException>(() => NrrdReader.Read(path));
            Assert.StartsWith(path, e.Message);
        }
    }

    [Theory]
    [InlineData("sizes: 1000000000 1000000000 1000000000", "sane range")]
    [InlineData("sizes: 500 500 500", "truncated")]
    [InlineData("sizes: 2 3", "positive sizes")]
    [InlineData("sizes: 2 3 4 5", "positive sizes")]
    public void Bad_sizes_fail_before_allocating(string sizes, string expected)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.nrrd");
        Write(path, $"NRRD0004\ntype: float\ndimension: 3\n{sizes}\nencoding: raw", new byte[96]);
        var e = Assert.Throws<PmcmException>(() => NrrdReader.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Theory]
    [InlineData("type: uint64\nencoding: raw", "uint64")]
    [InlineData("type: float\nencoding: bzip2", "bzip2")]
    [InlineData("type: float\nencoding: raw\nline skip: 200", "line skip")]
    public void Unsupported_types_and_encodings_are_named(string fields, string expected)
    {
        using var dir = new TempDir();
        var path = dir.File("odd.nrrd");
        Write(path, $"NRRD0004\ndimension: 3\nsizes: 2 3 4\n{fields}", new byte[200]);
        Assert.Contains(expected, Assert.Throws<PmcmException>(() => NrrdReader.Read(path)).Message);
    }

    [Fact]
    public void Non_nrrd_and_missing_files_are_clear_errors()
    {
        using var dir = new TempDir();
        var path = dir.File("text.nrrd");
        File.WriteAllText(path, "hello world, not a volume");
        Assert.Contains("not a NRRD", Assert.Throws<PmcmException>(() => NrrdReader.Read(path)).Message);
        Assert.Contains("no such file", Assert.Throws<PmcmException>(() => NrrdReader.Read(dir.File("none.nrrd"))).Message);
    }

    private static void Write(string path, string header, byte[] data)
    {
        var text = Encoding.ASCII.GetBytes(header.ReplaceLineEndings("\n") + "\n\n");
        File.WriteAllBytes(path, [.. text, .. data]);
    }
}
