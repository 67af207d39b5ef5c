using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.IO;

public class VolumeIOTests
{
    [Theory]
    [InlineData("v.nii")]
    [InlineData("v.nii.gz")]
    [InlineData("v.NRRD")]
    [InlineData("v.h5")]
    public void Every_format_round_trips_through_the_facade(string name)
    {
        using var dir = new TempDir();
        var volume = TestVolumes.Ramp(new Shape3(2, 3, 4), VoxelType.Int16, TestVolumes.Oblique());
        VolumeIO.Write(dir.File(name), volume);
        var back = VolumeIO.Read(dir.File(name));
        Assert.Equal(VoxelType.Int16, back.Type);
        TestVolumes.AssertSameVoxels(volume, back);
        var expectedGeometry = name.EndsWith(".h5") ? Geometry.Identity : volume.Geometry;
        TestVolumes.AssertSameGeometry(expectedGeometry, back.Geometry);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void H5_to_nifti_to_nrrd_to_h5_keeps_every_element()
    {
        using var dir = new TempDir();
        var image = TestVolumes.Ramp(new Shape3(5, 6, 7), VoxelType.Float32);
        var label = Volume.Zeros(image.Shape, type: VoxelType.UInt8);
        label[4, 1, 6] = 1;
        new H5Case(image, label).Write(dir.File("case.h5"));

        VolumeIO.Write(dir.File("label.nii.gz"), VolumeIO.Read(dir.File("case.h5"), "label"));
        VolumeIO.Write(dir.File("label.nrrd"), VolumeIO.Read(dir.File("label.nii.gz")));
        VolumeIO.Write(dir.File("back.h5"), VolumeIO.Read(dir.File("label.nrrd")), "label");

        var back = H5Volumes.Read(dir.File("back.h5"), "label");
        Assert.Equal(VoxelType.UInt8, back.Type);
        TestVolumes.AssertSameVoxels(label, back);
        Assert.Equal(1, back[4, 1, 6]);
    }

    [Fact]
    public void Unknown_extension_is_a_clear_error()
    {
        var e = Assert.Throws<PmcmException>(() => VolumeIO.Read("scan.mha"));
        Assert.Contains("scan.mha", e.Message);
        Assert.Contains(".nii.gz", e.Message);
        Assert.Throws<PmcmException>(() => VolumeIO.Write("out.png", Volume.Zeros(new Shape3(1, 1, 1))));
    }
}
