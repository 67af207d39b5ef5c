using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Cli.Tests.Commands;

[Collection("Console")]
public class ConvertCommandTests
{
    private static readonly Shape3 Shape = new(3, 4, 5);

    [Fact]
    public void Writing_one_dataset_into_an_h5_keeps_the_others()
    {
        using var dir = new TempDir();
        var image = new Volume(Shape, Enumerable.Range(0, 60).Select(i => i * 0.5f).ToArray());
        var label = Volume.Zeros(Shape, type: VoxelType.UInt8);
        label[1, 2, 3] = 1;
        new H5Case(image, label).Write(dir.File("case.h5"));
        var newLabel = Volume.Zeros(Shape, type: VoxelType.UInt8);
        newLabel[2, 2, 2] = 1;
        NiftiWriter.Write(dir.File("lab.nii.gz"), newLabel, new NiftiWriteOptions(Gzip: true));

        Assert.Equal(0, CliHarness.Run("convert", dir.File("lab.nii.gz"), dir.File("case.h5"), "--dataset", "label").Exit);
        Assert.Equal(image.Data, H5Volumes.Read(dir.File("case.h5"), "image").Data);
        Assert.Equal(newLabel.Data, H5Volumes.Read(dir.File("case.h5"), "label").Data);

        Assert.Equal(0, CliHarness.Run("convert", dir.File("case.h5"), dir.File("case.h5")).Exit);
        Assert.Equal(["image", "label"], H5Volumes.List(dir.File("case.h5")).Select(d => d.Name).Order());
        Assert.Equal(newLabel.Data, H5Volumes.Read(dir.File("case.h5"), "label").Data);
    }

    [Fact]
    public void H5_label_to_nifti_and_back_keeps_every_element()
    {
        using var dir = new TempDir();
        var image = new Volume(Shape, Enumerable.Range(0, 60).Select(i => i * 0.5f).ToArray());
        var label = Volume.Zeros(Shape, type: VoxelType.UInt8);
        label[2, 3, 4] = 1;
        label[0, 1, 0] = 1;
        new H5Case(image, label).Write(dir.File("case.h5"));

        Assert.Equal(0, CliHarness.Run("convert", dir.File("case.h5"), dir.File("label.nii.gz"), "--dataset", "label").Exit);
        Assert.Equal(0, CliHarness.Run("convert", dir.File("label.nii.gz"), dir.File("back.h5"), "--dataset", "label").Exit);
        Assert.Equal(0, CliHarness.Run("convert", dir.File("case.h5"), dir.File("image.nrrd")).Exit);

        var nifti = NiftiReader.Read(dir.File("label.nii.gz"));
        Assert.Equal(VoxelType.UInt8, nifti.Type);
        Assert.Equal(label.Data, nifti.Data);
        Assert.Equal(label.Data, H5Volumes.Read(dir.File("back.h5"), "label").Data);
        Assert.Equal(image.Data, NrrdReader.Read(dir.File("image.nrrd")).Data);
    }

    [Fact]
    public void Geometry_is_kept_and_type_can_be_changed()
    {
        using var dir = new TempDir();
        var geometry = new Geometry([0.5, 1, 2], [-10, 5, 3], [0, -1, 0, 1, 0, 0, 0, 0, 1]);
        VolumeIO.Write(dir.File("in.nrrd"), new Volume(new Shape3(1, 1, 3), [1.4f, 2.6f, -7f], geometry));

        var (exit, stdout, _) = CliHarness.Run("convert", dir.File("in.nrrd"), dir.File("out.nii"), "--type", "int16");
        Assert.Equal(0, exit);
        Assert.Contains("int16", stdout);
        var back = NiftiReader.Read(dir.File("out.nii"));
        Assert.Equal([1f, 3f, -7f], back.Data);
        Assert.Equal(VoxelType.Int16, back.Type);
        for (var i = 0; i < 9; i++) Assert.Equal(geometry.Direction[i], back.Geometry.Direction[i], 1e-6);
        Assert.Equal(geometry.Origin, back.Geometry.Origin);
    }

    [Theory]
    [InlineData("missing.nii", "out.nii", "no such file")]
    [InlineData("case.h5", "out.png", "unknown volume file extension")]
    [InlineData("case.h5", "out.nii", "no dataset 'nope'; datasets present: image")]
    [InlineData("case.h5", "out.nii", "'float16' is not a voxel type")]
    public void Bad_input_gives_one_error_line_exit_1_and_no_output_file(string input, string output, string expected)
    {
        using var dir = new TempDir();
        new H5Case(Volume.Zeros(Shape)).Write(dir.File("case.h5"));
        string[] extra = expected.Contains("nope") ? ["--dataset", "nope"] : expected.Contains("float16") ? ["--type", "float16"] : [];

        var (exit, _, stderr) = CliHarness.Run(["convert", dir.File(input), dir.File(output), .. extra]);
        Assert.Equal(1, exit);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.False(File.Exists(dir.File(output)));
    }
}
