using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.IO;

public class H5VolumesTests
{
    private static readonly Shape3 Shape = new(3, 4, 5);

    public static TheoryData<VoxelType> AllTypes() => new(Enum.GetValues<VoxelType>());

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Round_trip_keeps_every_voxel_type_and_value(VoxelType type)
    {
        using var dir = new TempDir();
        var path = dir.File("v.h5");
        var volume = TestVolumes.Ramp(Shape, type);
        H5Volumes.Write(path, [("vol", volume)]);
        var back = H5Volumes.Read(path, "vol");
        Assert.Equal(type, back.Type);
        TestVolumes.AssertSameVoxels(volume, back);
        Assert.Equal(new H5DatasetInfo("vol", [3, 4, 5], type.Name()), H5Volumes.List(path).Single(), InfoComparer.Instance);
    }

    [Fact]
    public void Case_round_trips_with_the_community_types()
    {
        using var dir = new TempDir();
        var path = dir.File("case.h5");
        var shape = new Shape3(40, 40, 20);
        var image = TestVolumes.Ramp(shape, VoxelType.Float64);
        var label = Volume.Zeros(shape, type: VoxelType.Int32);
        label[5, 6, 7] = 1;
        var sdf = TestVolumes.Ramp(shape, VoxelType.Float32);
        new H5Case(image, label, sdf).Write(path);

        var back = H5Case.Read(path);
        Assert.Equal(VoxelType.Float32, back.Image.Type);
        Assert.Equal(VoxelType.UInt8, back.Label!.Type);
        TestVolumes.AssertSameVoxels(image, back.Image);
        TestVolumes.AssertSameVoxels(label, back.Label);
        TestVolumes.AssertSameVoxels(sdf, back.Sdf!);
        Assert.Equal(["image:float32", "label:uint8", "gt_dis:float32"], H5Volumes.List(path).Select(d => $"{d.Name}:{d.Dtype}"));
    }

    [Fact]
    public void Datasets_are_deflate_compressed()
    {
        using var dir = new TempDir();
        var path = dir.File("zeros.h5");
        H5Volumes.Write(path, [("image", Volume.Zeros(new Shape3(64, 64, 64)))]);
        // 1 MiB of float32 zeros deflates to a few kilobytes.
        Assert.InRange(new FileInfo(path).Length, 1, 64 * 64 * 64 * 4 / 50);
    }

    [Fact]
    public void A_volume_of_realistic_size_reads_back_in_seconds_not_minutes()
    {
        // Chunks that split the fast axes once made PureHDF take over a minute for an LA-sized read.
        using var dir = new TempDir();
        var path = dir.File("big.h5");
        var volume = new Volume(new Shape3(150, 120, 60), Enumerable.Range(0, 150 * 120 * 60).Select(i => (float)(i % 977)).ToArray());
        H5Volumes.Write(path, [("image", volume)]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var back = H5Volumes.Read(path, "image");
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 20);
        Assert.Equal(volume.Data, back.Data);
    }

    [Fact]
    public void Case_without_label_or_sdf_reads_them_as_null()
    {
        using var dir = new TempDir();
        var path = dir.File("unlabelled.h5");
        new H5Case(TestVolumes.Ramp(Shape, VoxelType.Float32)).Write(path);
        var back = H5Case.Read(path);
        Assert.Null(back.Label);
        Assert.Null(back.Sdf);
    }

    [Fact]
    public void Missing_dataset_names_the_datasets_present()
    {
        using var dir = new TempDir();
        var path = dir.File("case.h5");
        new H5Case(TestVolumes.Ramp(Shape, VoxelType.Float32), Volume.Zeros(Shape)).Write(path);
        var e = Assert.Throws<PmcmException>(() => H5Volumes.Read(path, "gt_dis"));
        Assert.Equal($"{path}: no dataset 'gt_dis'; datasets present: image, label", e.Message);
    }

    [Fact]
    public void Corrupt_truncated_and_missing_files_are_clear_errors()
    {
        using var dir = new TempDir();
        var good = dir.File("good.h5");
        new H5Case(TestVolumes.Ramp(new Shape3(16, 16, 16), VoxelType.Float32)).Write(good);
        var bytes = File.ReadAllBytes(good);

        var truncated = dir.File("truncated.h5");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var garbage = dir.File("garbage.h5");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251)).ToArray());
        var empty = dir.File("empty.h5");
        File.WriteAllBytes(empty, []);

        foreach (var path in new[] { truncated, garbage, empty, dir.File("missing.h5") })
        {
            var e = Assert.Throws<PmcmException>(() => H5Volumes.Read(path, "image"));
            Assert.StartsWith(path, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void Real_la_case_has_image_and_binary_label_of_the_same_shape()
    {
        var path = SharedData.FirstLaCase(out var reason);
        if (path is null)
        {
            Console.WriteLine($"skipped: {reason}");
            return;
        }
        var c = H5Case.Read(path);
        Assert.Equal(88, c.Image.Shape.Z);
        Assert.Equal(c.Image.Shape, c.Label!.Shape);
        Assert.Equal(VoxelType.Float32, c.Image.Type);
        Assert.Equal(VoxelType.UInt8, c.Label.Type);
        Assert.Equal([0, 1], VolumeSummary.Of(c.Label).Labels!);
        var image = VolumeSummary.Of(c.Image);
        Console.WriteLine($"{path}: {c.Image.Shape} mean {image.Mean} range {image.Min}..{image.Max}");
        // Z-scored intensities: background below zero, atrium far above; the atrium is a small part of the crop.
        Assert.True(image.Min < 0 && image.Max > 3, "image does not look z-scored");
        Assert.InRange(VolumeSummary.Of(c.Label).Mean, 0.01, 0.5);
    }

    private sealed class InfoComparer : IEqualityComparer<H5DatasetInfo>
    {
        public static readonly InfoComparer Instance = new();
        public bool Equals(H5DatasetInfo? a, H5DatasetInfo? b) => a!.Name == b!.Name && a.Dtype == b.Dtype && a.Shape.SequenceEqual(b.Shape);
        public int GetHashCode(H5DatasetInfo i) => i.Name.GetHashCode();
    }
}
