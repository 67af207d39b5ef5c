using System.Text.Json;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Cli.Tests.Commands;

[Collection("Console")]
public class InfoCommandTests
{
    [Fact]
    public void Json_of_a_nifti_label_map_has_shape_type_geometry_stats_and_labels()
    {
        using var dir = new TempDir();
        var path = dir.File("label.nii.gz");
        var v = new Volume(new Shape3(1, 2, 2), [0, 3, 3, 1], Geometry.WithSpacing(0.5, 2, 4) with { Origin = [1, 2, 3] }, VoxelType.UInt8);
        VolumeIO.Write(path, v);

        var (exit, stdout, stderr) = CliHarness.Run("info", path, "--json");
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var j = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("nifti", j.GetProperty("format").GetString());
        Assert.Equal([1, 2, 2], j.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("uint8", j.GetProperty("dtype").GetString());
        Assert.Equal([0.5, 2, 4], j.GetProperty("spacing").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([1.0, 2, 3], j.GetProperty("origin").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(0, j.GetProperty("min").GetDouble());
        Assert.Equal(3, j.GetProperty("max").GetDouble());
        Assert.Equal(7 / 4.0, j.GetProperty("mean").GetDouble());
        Assert.Equal([0, 1, 3], j.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Json_of_an_h5_lists_every_dataset()
    {
        using var dir = new TempDir();
        var path = dir.File("case.h5");
        var shape = new Shape3(2, 2, 2);
        new H5Case(new Volume(shape, [0.5f, 1, 2, 3, 4, 5, 6, 7]), Volume.Zeros(shape)).Write(path);

        var (exit, stdout, _) = CliHarness.Run("info", path, "--json");
        Assert.Equal(0, exit);
        var datasets = JsonDocument.Parse(stdout).RootElement.GetProperty("datasets").EnumerateArray().ToList();
        Assert.Equal(["image", "label"], datasets.Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(["float32", "uint8"], datasets.Select(d => d.GetProperty("dtype").GetString()));
        Assert.Equal(JsonValueKind.Null, datasets[0].GetProperty("labels").ValueKind);
        Assert.Equal(28.5 / 8, datasets[0].GetProperty("mean").GetDouble(), 1e-12);
        Assert.Equal([0], datasets[1].GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Human_output_is_a_table_with_the_values()
    {
        using var dir = new TempDir();
        var path = dir.File("v.nrrd");
        VolumeIO.Write(path, new Volume(new Shape3(3, 1, 1), [2, 4, 9], type: VoxelType.Int16));
        var (exit, stdout, _) = CliHarness.Run("info", path);
        Assert.Equal(0, exit);
        Assert.Contains("3 × 1 × 1", stdout);
        Assert.Contains("int16", stdout);
        Assert.Contains("2, 4, 9", stdout);
    }

    [Fact]
    public void Missing_and_corrupt_files_give_one_error_line_and_exit_1()
    {
        using var dir = new TempDir();
        var corrupt = dir.File("bad.h5");
        File.WriteAllBytes(corrupt, new byte[100]);
        foreach (var path in new[] { dir.File("none.nii"), corrupt, dir.File("x.txt") })
        {
            var (exit, stdout, stderr) = CliHarness.Run("info", path);
            Assert.Equal(1, exit);
            Assert.Equal("", stdout);
            Assert.StartsWith($"error: {path}", stderr);
            Assert.Single(stderr.TrimEnd().Split('\n'));
        }
    }
}
