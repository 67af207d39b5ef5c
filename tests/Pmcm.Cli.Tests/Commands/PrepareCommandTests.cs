using System.Text.Json;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Cli.Tests.Commands;

[Collection("Console")]
public class PrepareCommandTests
{
    private static readonly Shape3 Shape = new(40, 40, 24);

    // A bright sphere (the "atrium", laendo = 255) on a darker, slightly varying background.
    private static (Volume Image, Volume Label) Scan(int seed)
    {
        var image = Volume.Zeros(Shape, Geometry.WithSpacing(0.625, 0.625, 2.5), VoxelType.UInt8);
        var label = Volume.Zeros(Shape, image.Geometry, VoxelType.UInt8);
        var (cx, cy, cz, r) = (18 + seed % 4, 20 - seed % 3, 12, 7 + seed % 2);
        for (var x = 0; x < Shape.X; x++)
            for (var y = 0; y < Shape.Y; y++)
                for (var z = 0; z < Shape.Z; z++)
                {
                    var inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) + 4 * (z - cz) * (z - cz) <= r * r;
                    image[x, y, z] = inside ? 180 + (x + y) % 7 : 40 + (x * 3 + z) % 11;
                    label[x, y, z] = inside ? 255 : 0;
                }
        return (image, label);
    }

    private static void WriteLa(string root, string name, bool withLabel = true)
    {
        var (image, label) = Scan(name[^1]);
        NrrdWriter.Write(Path.Combine(root, name, "lgemri.nrrd"), image);
        if (withLabel) NrrdWriter.Write(Path.Combine(root, name, "laendo.nrrd"), label);
    }

    [Fact]
    public void Prepare_la_reports_each_case_names_the_failures_and_still_writes_the_good_ones()
    {
        using var dir = new TempDir();
        var raw = dir.File("raw");
        foreach (var name in new[] { "case1", "case2", "case3" }) WriteLa(raw, name);
        WriteLa(raw, "nolabel", withLabel: false);
        NrrdWriter.Write(Path.Combine(raw, "empty", "lgemri.nrrd"), Scan(1).Image);
        NrrdWriter.Write(Path.Combine(raw, "empty", "laendo.nrrd"), Volume.Zeros(Shape));

        var (exit, stdout, stderr) = CliHarness.Run("prepare", "la", "--input", raw, "--out", dir.File("out"), "--crop-z", "--test-fraction", "0.34");

        Assert.Equal(1, exit);
        Assert.Contains("nolabel: skipped: no label file", stderr);
        Assert.Contains("empty: skipped: the label has no foreground voxel", stderr);
        Assert.Contains("2 case(s) failed and were not prepared: empty, nolabel", stderr);
        // Sphere of radius 7–8 in a 40-voxel volume: the 112-voxel patch pads X/Y to the whole volume; --crop-z cuts Z.
        Assert.Matches(@"case1: 40×40×24 → 40×40×\d+, crop x\[0,40\) y\[0,40\) z\[\d+,\d+\)", stdout);
        Assert.Contains("prepared 3 of 5 case(s)", stdout);
        Assert.Equal(2, CaseList.Read(dir.File("out/train.list")).Count);
        Assert.Single(CaseList.Read(dir.File("out/test.list")));
        Assert.False(File.Exists(dir.File("out/nolabel/mri_norm2.h5")));
    }

    [Fact]
    public void Prepare_pancreas_resamples_windows_and_writes_norm_h5_files()
    {
        using var dir = new TempDir();
        var geometry = new Geometry([0.5, 0.5, 1], [0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
        var image = Volume.Zeros(new Shape3(64, 60, 20), geometry, VoxelType.Int16);
        var label = Volume.Zeros(image.Shape, geometry, VoxelType.UInt8);
        for (var i = 0; i < image.Data.Length; i++) image.Data[i] = -1000 + i % 1500;
        for (var x = 20; x < 30; x++)
            for (var y = 24; y < 30; y++)
                for (var z = 5; z < 12; z++)
                    label[x, y, z] = 1;
        foreach (var id in new[] { "0001", "0002" })
        {
            NiftiWriter.Write(dir.File($"images/image{id}.nii.gz"), image, new NiftiWriteOptions(Gzip: true));
            NiftiWriter.Write(dir.File($"labels/label{id}.nii.gz"), label, new NiftiWriteOptions(Gzip: true));
        }
        NiftiWriter.Write(dir.File("images/image0003.nii.gz"), image, new NiftiWriteOptions(Gzip: true));
        NiftiWriter.Write(dir.File("labels/label0003.nii.gz"), Volume.Zeros(new Shape3(64, 60, 19), geometry), new NiftiWriteOptions(Gzip: true));

        var (exit, stdout, stderr) = CliHarness.Run("prepare", "pancreas", "--images", dir.File("images"), "--labels", dir.File("labels"),
            "--out", dir.File("out"), "--test-list", WriteList(dir.File("test.txt"), "image0002"));

        Assert.Equal(1, exit);
        Assert.Contains("image0003: skipped: the label has shape 64×60×19 but the image has 64×60×20", stderr);
        // 1 mm grid: 32×30×20; label X 10..14 → pad (96 − 4) div 2 = 46, + 25: the whole grid.
        Assert.Contains("image0001: 64×60×20 → 32×30×20 (resampled) → 32×30×20, crop x[0,32) y[0,30) z[0,20)", stdout);
        var prepared = H5Case.Read(dir.File("out/image0001_norm.h5"));
        Assert.Equal(new Shape3(32, 30, 20), prepared.Image.Shape);
        Assert.Equal(5 * 3 * 7, prepared.Label!.Data.Sum());
        Assert.Equal(["image0001"], CaseList.Read(dir.File("out/train.list")));
        Assert.Equal(["image0002"], CaseList.Read(dir.File("out/test.list")));
    }

    [Fact]
    public void A_prepared_la_dataset_trains_and_evaluates_end_to_end()
    {
        using var dir = new TempDir();
        var raw = dir.File("raw");
        for (var i = 1; i <= 6; i++) WriteLa(raw, $"case{i}");
        var data = dir.File("prepared");
        var (exit, _, stderr) = CliHarness.Run("prepare", "la", "--input", raw, "--out", data, "--test-list", WriteList(dir.File("test.txt"), "case6"));
        Assert.True(exit == 0, stderr);

        // Five training cases: 1 labeled, 2 unlabeled, 2 held out for validation (the default max(2, 10 %)).
        (exit, _, stderr) = CliHarness.Run("train", "--data", data, "--out", dir.File("run"), "--labeled", "1", "--iterations", "3",
            "--patch", "32,32,16", "--batch", "2", "--labeled-batch", "1", "--n-filters", "2", "--threads", "1");
        Assert.True(exit == 0, stderr);
        Assert.Equal(3, File.ReadAllLines(dir.File("run/log.csv")).Length - 1);

        (exit, var stdout, stderr) = CliHarness.Run("eval", "--model", dir.File("run"), "--data", data, "--json", "--threads", "1");
        Assert.True(exit == 0, stderr);
        var cases = JsonDocument.Parse(stdout).RootElement.GetProperty("cases");
        Assert.Equal("case6", Assert.Single(cases.EnumerateArray()).GetProperty("case").GetString());
        Assert.InRange(cases[0].GetProperty("dice").GetDouble(), 0, 1);
    }

    [Fact]
    public void Prepare_rejects_bad_arguments_with_one_line_errors()
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = CliHarness.Run("prepare", "la", "--input", dir.File("missing"), "--out", dir.File("out"));
        Assert.Equal(1, exit);
        Assert.Equal($"error: {dir.File("missing")}: no such input folder", stderr.Trim());

        WriteLa(dir.File("raw"), "case1");
        (exit, _, stderr) = CliHarness.Run("prepare", "la", "--input", dir.File("raw"), "--out", dir.File("out"),
            "--test-list", WriteList(dir.File("test.txt"), "case1"), "--test-fraction", "0.5");
        Assert.Equal(1, exit);
        Assert.Contains("either --test-fraction or --test-list", stderr);

        (exit, _, stderr) = CliHarness.Run("prepare", "la", "--input", dir.File("raw"), "--out", dir.File("out"), "--test-list", WriteList(dir.File("t2.txt"), "case9"));
        Assert.Equal(1, exit);
        Assert.Contains("not in the input: case9", stderr);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    private static string WriteList(string path, params string[] names)
    {
        File.WriteAllLines(path, names);
        return path;
    }
}
