using System.Text.Json;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Pmcm.Core;
using Pmcm.Learning;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
using SkiaSharp;
using static TorchSharp.torch;

namespace Pmcm.Cli.Tests.Commands;

/// <summary>
/// `pmcm eval` and `pmcm predict` on tiny volumes with a tiny network whose segmentation heads ignore their
/// input and call every voxel foreground, so the expected masks and scores are known exactly.
/// </summary>
[Collection("Console")]
public sealed class InferenceCommandsTests : IDisposable
{
    private static readonly Shape3 Shape = new(20, 18, 17);
    private static readonly string[] Window = ["--patch", "16,16,16", "--stride", "8,8,8"];
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EvalScoresEveryListedCaseAndWritesCsvJsonAndPredictions()
    {
        var data = WriteDataset(out var labelCounts);
        var model = WriteCheckpoint();
        var predictions = _temp.File("pred");

        var (exit, stdout, stderr) = CliHarness.Run(["eval", "--model", model, "--data", data, "--json", "--save-predictions", predictions, "--windows-per-batch", "2", .. Window]);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        // All-foreground prediction: Dice = 2|L| / (|L| + N), Jaccard = |L| / N.
        var dice = labelCounts.Select(l => 2.0 * l / (l + Shape.Count)).ToArray();
        var jaccard = labelCounts.Select(l => (double)l / Shape.Count).ToArray();
        Assert.Equal(dice.Average(), root.GetProperty("mean").GetProperty("dice").GetDouble(), 1e-12);
        Assert.Equal(jaccard.Average(), root.GetProperty("mean").GetProperty("jaccard").GetDouble(), 1e-12);
        Assert.True(root.GetProperty("mean").GetProperty("hd95").GetDouble() >= 0);
        Assert.True(root.GetProperty("mean").GetProperty("asd").GetDouble() >= 0);
        Assert.Equal(0, root.GetProperty("empty_predictions").GetInt32());
        Assert.Equal(["case_b", "case_a"], root.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("case").GetString()));

        var csv = File.ReadAllLines(Path.Combine(predictions, "eval.csv"));
        Assert.Equal("case,dice,jaccard,hd95,asd,empty_prediction,empty_reference", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Equal(Path.Combine(predictions, "eval.csv"), root.GetProperty("csv").GetString());

        var mask = VolumeIO.Read(Path.Combine(predictions, "case_a.nii.gz"));
        Assert.Equal(Shape, mask.Shape);
        Assert.Equal(VoxelType.UInt8, mask.Type);
        Assert.All(mask.Data, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void EvalOfARunFolderWritesTheCsvThereAndPrintsATable()
    {
        var data = WriteDataset(out _);
        var run = WriteRun(TinyRunConfig);

        var (exit, stdout, stderr) = CliHarness.Run("eval", "--model", run, "--data", data, "--tta", "--gaussian", "--lcc", "--both-decoders");
        Assert.True(exit == 0, stderr);
        Assert.Contains("mean ± std", stdout);
        Assert.Contains(Path.Combine(run, "eval.csv"), stdout);
        Assert.True(File.Exists(Path.Combine(run, "eval.csv")));
    }

    [Fact]
    public void EvalPrintsItsScoresEvenWhereTheCsvCannotBeWritten()
    {
        var data = WriteDataset(out _);
        var run = WriteRun(TinyRunConfig);
        // A folder where the file should go: the write fails as it would in a read-only model folder (tests run as root).
        Directory.CreateDirectory(Path.Combine(run, "eval.csv"));

        // The default place only warns: the scores are printed and the command succeeds.
        var (exit, stdout, stderr) = CliHarness.Run("eval", "--model", run, "--data", data, "--json");
        Assert.True(exit == 0, stderr);
        Assert.Contains("warning: per-case scores not written to " + Path.Combine(run, "eval.csv"), stderr);
        Assert.Contains("--csv FILE", stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("csv").ValueKind);
            Assert.Equal(2, json.RootElement.GetProperty("cases").GetArrayLength());
        }

        // --csv puts them elsewhere; a --csv that cannot be written is an error, after the table.
        var elsewhere = _temp.File("scores/la.csv");
        (exit, _, stderr) = CliHarness.Run("eval", "--model", run, "--data", data, "--csv", elsewhere);
        Assert.True(exit == 0, stderr);
        Assert.Equal(3, File.ReadAllLines(elsewhere).Length);
        (exit, stdout, stderr) = CliHarness.Run("eval", "--model", run, "--data", data, "--csv", Path.Combine(run, "eval.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("mean ± std", stdout);
        Assert.StartsWith("error: per-case scores not written to", stderr);
    }

    [Fact]
    public void PredictKeepsTheScanGeometryAndDrawsAnOverlay()
    {
        var geometry = new Geometry([0.625, 0.625, 1.25], [-10, 5, 2.5], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
        var scanPath = _temp.File("scan.nii.gz");
        VolumeIO.Write(scanPath, new Volume(Shape, RandomImage(5), geometry));
        var maskPath = _temp.File("out/mask.nii.gz");
        var pngPath = _temp.File("out/overlay.png");

        var (exit, stdout, stderr) = CliHarness.Run(["predict", "--model", WriteCheckpoint(), "--input", scanPath, "--out", maskPath, "--overlay", pngPath, "--json", .. Window]);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var scan = json.RootElement.GetProperty("scans")[0];
        Assert.Equal(Shape.Count, scan.GetProperty("foreground_voxels").GetInt64());
        Assert.Equal(8, scan.GetProperty("windows").GetInt32()); // 2 × 2 × 2 windows of 16 over 20×18×17

        var mask = VolumeIO.Read(maskPath);
        Assert.Equal(Shape, mask.Shape);
        Assert.Equal(VoxelType.UInt8, mask.Type);
        Assert.Equal(geometry.Spacing, mask.Geometry.Spacing.Select(v => Math.Round(v, 6)));
        Assert.Equal(geometry.Origin, mask.Geometry.Origin.Select(v => Math.Round(v, 6)));
        Assert.All(mask.Data, v => Assert.Equal(1f, v));

        // Default overlay: 4 slices, each 20 × 18 pixels at scale 2, 4-pixel gaps.
        using var png = SKBitmap.Decode(pngPath);
        Assert.Equal(4 * 40 + 3 * 4, png.Width);
        Assert.Equal(36, png.Height);
        Assert.Equal(new SKColor(0xFF, 0x30, 0x30), png.GetPixel(0, 0)); // the mask fills the slice, so its edge is the outline
    }

    [Fact]
    public void PredictOnAFolderWritesOneMaskPerScanAndTurnsH5IntoNifti()
    {
        var scans = Directory.CreateDirectory(_temp.File("scans")).FullName;
        new H5Case(new Volume(Shape, RandomImage(1))).Write(Path.Combine(scans, "a.h5"));
        VolumeIO.Write(Path.Combine(scans, "b.nrrd"), new Volume(Shape, RandomImage(2), Geometry.WithSpacing(2, 2, 3)));
        var masks = _temp.File("masks");

        var (exit, _, stderr) = CliHarness.Run(["predict", "--model", WriteCheckpoint(), "--input", scans, "--out", masks, .. Window]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(["a.nii.gz", "b.nrrd"], Directory.GetFiles(masks).Select(Path.GetFileName).Order());
        Assert.Equal([2.0, 2.0, 3.0], VolumeIO.Read(Path.Combine(masks, "b.nrrd")).Geometry.Spacing);
    }

    [Fact]
    public void EvalOfARunTrainedOnShrunkVolumesScoresOnTheShrunkGrid()
    {
        var data = WriteDataset(out _);
        var run = WriteRun("""{"n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride_xy": 8, "stride_z": 8, "downsample": 2}""");
        var predictions = _temp.File("pred");

        var (exit, stdout, stderr) = CliHarness.Run("eval", "--model", run, "--data", data, "--list", "test.list", "--json", "--save-predictions", predictions);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("downsample").GetInt32());
        Assert.Equal([2.0, 2.0, 2.0], root.GetProperty("grid_spacing").EnumerateArray().Select(v => v.GetDouble()));
        // 20×18×17 shrinks to 10×9×8 = 720 voxels; shrunk label voxel i is original voxel 2i + 1 (nearest), so the
        // boxes become 4×4×4 = 64 (case_a) and 5×4×4 = 80 (case_b) voxels. All-foreground Dice = 2|L| / (|L| + 720).
        var cases = root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("case").GetString()!, c => c.GetProperty("dice").GetDouble());
        Assert.Equal(128.0 / 784, cases["case_a"], 1e-12);
        Assert.Equal(160.0 / 800, cases["case_b"], 1e-12);
        var mask = VolumeIO.Read(Path.Combine(predictions, "case_a.nii.gz"));
        Assert.Equal(new Shape3(10, 9, 8), mask.Shape);
        Assert.Equal([2.0, 2.0, 2.0], mask.Geometry.Spacing.Select(v => Math.Round(v, 6)));

        // The run's best.pth named directly is still that run's model: same grid, same scores.
        (exit, stdout, stderr) = CliHarness.Run("eval", "--model", Path.Combine(run, "best.pth"), "--data", data, "--list", "test.list", "--json", "--csv", _temp.File("best.csv"));
        Assert.True(exit == 0, stderr);
        using var byFile = JsonDocument.Parse(stdout);
        Assert.Equal(2, byFile.RootElement.GetProperty("downsample").GetInt32());
        var byFileCases = byFile.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("case").GetString()!, c => c.GetProperty("dice").GetDouble());
        Assert.Equal(cases, byFileCases);
    }

    [Fact]
    public void AStandardisedRunSaysSoAndNamesAScanThatCannotBeStandardised()
    {
        var data = WriteDataset(out _);
        var run = WriteRun("""{"n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride_xy": 8, "stride_z": 8, "standardise": true}""");
        var (exit, stdout, stderr) = CliHarness.Run("eval", "--model", run, "--data", data, "--list", "test.list", "--json", "--csv", _temp.File("scores.csv"));
        Assert.True(exit == 0, stderr);
        using (var json = JsonDocument.Parse(stdout)) Assert.True(json.RootElement.GetProperty("standardise").GetBoolean());

        // A constant image has no spread to divide by: the error names the file, and nothing is written.
        var flat = Path.Combine(data, "case_a", "mri_norm2.h5");
        new H5Case(new Volume(Shape, new float[Shape.Count]), H5Case.Read(flat).Label).Write(flat);
        (exit, _, stderr) = CliHarness.Run("eval", "--model", run, "--data", data, "--list", "test.list", "--csv", _temp.File("flat.csv"));
        Assert.Equal(1, exit);
        Assert.Contains($"{flat}: the image is constant", stderr);
        Assert.False(File.Exists(_temp.File("flat.csv")));

        var scan = _temp.File("flat.nii.gz");
        VolumeIO.Write(scan, new Volume(Shape, new float[Shape.Count]));
        (exit, _, stderr) = CliHarness.Run("predict", "--model", run, "--input", scan, "--out", _temp.File("flat-mask.nii.gz"));
        Assert.Equal(1, exit);
        Assert.Contains("flat.nii.gz", stderr);
        Assert.Contains("the image is constant", stderr);
        Assert.False(File.Exists(_temp.File("flat-mask.nii.gz")));
    }

    [Fact]
    public void PredictWithARunTrainedOnShrunkVolumesWritesAMaskOnTheScanGrid()
    {
        var shape = new Shape3(35, 33, 37);
        var geometry = new Geometry([0.625, 0.625, 1.25], [-10, 5, 2.5], [0, -1, 0, 1, 0, 0, 0, 0, 1]);
        var scanPath = _temp.File("scan.nii.gz");
        VolumeIO.Write(scanPath, new Volume(shape, new float[shape.Count], geometry));
        var run = WriteRun("""{"n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride_xy": 8, "stride_z": 8, "downsample": 2}""");
        var maskPath = _temp.File("mask.nii.gz");

        var (exit, stdout, stderr) = CliHarness.Run("predict", "--model", run, "--input", scanPath, "--out", maskPath, "--json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        // Shrunk grid 17×16×18: 2 × 1 × 2 windows (the scan's own grid would take 4 × 4 × 4).
        Assert.Equal(4, json.RootElement.GetProperty("scans")[0].GetProperty("windows").GetInt32());
        var mask = VolumeIO.Read(maskPath);
        Assert.Equal(shape, mask.Shape);
        Assert.Equal(geometry.Spacing, mask.Geometry.Spacing.Select(v => Math.Round(v, 6)));
        Assert.Equal(geometry.Origin, mask.Geometry.Origin.Select(v => Math.Round(v, 6)));
        Assert.Equal(geometry.Direction, mask.Geometry.Direction.Select(v => Math.Round(v, 6)));
        Assert.All(mask.Data, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void TheDefaultStrideFollowsASmallPatchAndALargerGivenStrideIsRefused()
    {
        // A run with patch 16 that kept the LA stride 18,18,4: the default stride is capped at the patch.
        var shape = new Shape3(63, 55, 39);
        var scan = _temp.File("scan.nii");
        VolumeIO.Write(scan, new Volume(shape, new float[shape.Count]));
        var run = WriteRun("""{"n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride_xy": 18, "stride_z": 4}""");

        var (exit, stdout, stderr) = CliHarness.Run("predict", "--model", run, "--input", scan, "--out", _temp.File("m.nii"), "--json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        // Stride 16,16,4: X ceil(47/16)+1 = 4, Y ceil(39/16)+1 = 4, Z 23/4 → 7 windows.
        Assert.Equal(4 * 4 * 7, json.RootElement.GetProperty("scans")[0].GetProperty("windows").GetInt32());
        Assert.Equal(shape.Count, json.RootElement.GetProperty("scans")[0].GetProperty("foreground_voxels").GetInt64());

        (exit, _, stderr) = CliHarness.Run("predict", "--model", run, "--input", scan, "--out", _temp.File("m2.nii"), "--stride", "18,18,4");
        Assert.Equal(1, exit);
        Assert.Equal("error: stride 18×18×4 exceeds the patch 16×16×16: voxels between windows would get no prediction", stderr.Trim());
        Assert.False(File.Exists(_temp.File("m2.nii")));
    }

    [Fact]
    public void PredictRefusesNonFiniteVoxelsUnlessToldWhatToPutThere()
    {
        var scan = _temp.File("nan.nii");
        var data = RandomImage(3);
        data[Shape.Index(5, 6, 7)] = float.NaN;
        data[Shape.Index(9, 1, 2)] = float.PositiveInfinity;
        VolumeIO.Write(scan, new Volume(Shape, data));
        var mask = _temp.File("m.nii");

        var (exit, _, stderr) = CliHarness.Run(["predict", "--model", WriteCheckpoint(), "--input", scan, "--out", mask, .. Window]);
        Assert.Equal(1, exit);
        Assert.Contains("2 voxels are NaN or infinite, the first at (x=5, y=6, z=7)", stderr);
        Assert.False(File.Exists(mask));

        (exit, _, stderr) = CliHarness.Run(["predict", "--model", WriteCheckpoint(), "--input", scan, "--out", mask, "--replace-nonfinite", "0", .. Window]);
        Assert.True(exit == 0, stderr);
        // The constant network calls every voxel foreground once no NaN reaches it (a NaN made its windows NaN).
        Assert.All(VolumeIO.Read(mask).Data, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void EvalInBf16ScoresLikeFp32AndAnUnknownPrecisionIsOneLineError()
    {
        var data = WriteDataset(out _);
        var model = WriteCheckpoint();
        double MeanDice(string precision)
        {
            var (exit, stdout, stderr) = CliHarness.Run(["eval", "--model", model, "--data", data, "--json", "--precision", precision, .. Window]);
            Assert.True(exit == 0, stderr);
            using var json = JsonDocument.Parse(stdout);
            return json.RootElement.GetProperty("mean").GetProperty("dice").GetDouble();
        }

        // The heads ignore their (now bf16-computed) features, so the masks, and the scores, are the same.
        if (Record.Exception(() => Precisions.RequireSupported(Precision.Bf16, CPU)) is PmcmException unsupported)
        {
            var (exit, _, stderr) = CliHarness.Run(["eval", "--model", model, "--data", data, "--precision", "bf16", .. Window]);
            Assert.Equal(1, exit);
            Assert.Equal("error: " + unsupported.Message, stderr.Trim());
        }
        else Assert.Equal(MeanDice("fp32"), MeanDice("bf16"));

        var scan = _temp.File("scan.nii");
        VolumeIO.Write(scan, new Volume(Shape, RandomImage(1)));
        var (badExit, _, badStderr) = CliHarness.Run(["predict", "--model", model, "--input", scan, "--out", _temp.File("m.nii"), "--precision", "fp16"]);
        Assert.Equal(1, badExit);
        Assert.Equal("error: unknown precision 'fp16': use fp32 or bf16", badStderr.Trim());
        Assert.False(File.Exists(_temp.File("m.nii")));
    }

    [Fact]
    public void MissingModelIsOneLineError()
    {
        var (exit, _, stderr) = CliHarness.Run("eval", "--model", _temp.File("nope.pth"), "--data", WriteDataset(out _));
        Assert.Equal(1, exit);
        Assert.Equal("error: " + _temp.File("nope.pth") + ": no such run folder or checkpoint file", stderr.Trim());
    }

    [Fact]
    public void RunConfigThatDoesNotFitTheWeightsIsOneLineError()
    {
        var run = Directory.CreateDirectory(_temp.File("run")).FullName;
        PyTorchStateDict.Save(ConstantNet(1f), Path.Combine(run, "best.pth"));
        File.WriteAllText(Path.Combine(run, "config.json"), """{"n_filters": 4, "classes": 2, "patch": [16, 16, 16], "stride_xy": 8, "stride_z": 8}""");
        var scan = _temp.File("scan.nii");
        VolumeIO.Write(scan, new Volume(Shape, RandomImage(1)));

        var (exit, _, stderr) = CliHarness.Run("predict", "--model", run, "--input", scan, "--out", _temp.File("m.nii"));
        Assert.Equal(1, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("does not fit the network: wrong shapes", stderr);
    }

    [Fact]
    public void PatchTheNetworkCannotTakeIsOneLineError()
    {
        var scan = _temp.File("scan.nii");
        VolumeIO.Write(scan, new Volume(Shape, RandomImage(1)));
        var (exit, _, stderr) = CliHarness.Run("predict", "--model", WriteCheckpoint(), "--input", scan, "--out", _temp.File("m.nii"), "--patch", "16,16,20");
        Assert.Equal(1, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("multiple of 16", stderr);

        (exit, _, stderr) = CliHarness.Run("predict", "--model", WriteCheckpoint(), "--input", scan, "--out", _temp.File("m.nii"), "--stride", "8,8");
        Assert.Equal(1, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("--stride '8,8' is not a size", stderr);
    }

    private string WriteDataset(out long[] labelCounts)
    {
        var data = Directory.CreateDirectory(_temp.File("data")).FullName;
        var names = new[] { "case_a", "case_b" };
        labelCounts = new long[names.Length];
        for (var c = 0; c < names.Length; c++)
        {
            // A box label of a different size per case.
            var label = new float[Shape.Count];
            for (var x = 4; x < 12 + 2 * c; x++)
            for (var y = 5; y < 13; y++)
            for (var z = 3; z < 10; z++)
                label[Shape.Index(x, y, z)] = 1;
            labelCounts[c] = label.Count(v => v > 0);
            Directory.CreateDirectory(Path.Combine(data, names[c]));
            new H5Case(new Volume(Shape, RandomImage(c)), new Volume(Shape, label)).Write(Path.Combine(data, names[c], "mri_norm2.h5"));
        }
        // The list's order, not the folder's, decides the order of cases.
        File.WriteAllLines(Path.Combine(data, "test.list"), ["case_b", "case_a"]);
        return data;
    }

    private const string TinyRunConfig = """{"n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride_xy": 8, "stride_z": 8}""";

    private string WriteRun(string config)
    {
        var run = Directory.CreateDirectory(_temp.File("run")).FullName;
        PyTorchStateDict.Save(ConstantNet(3f), Path.Combine(run, "best.pth"));
        File.WriteAllText(Path.Combine(run, "config.json"), config);
        return run;
    }

    private string WriteCheckpoint()
    {
        var path = _temp.File("model.pth");
        PyTorchStateDict.Save(ConstantNet(3f), path);
        return path;
    }

    // Zero segmentation-head weights with bias (0, logit): every voxel's foreground probability is sigmoid(logit).
    private static PmcmNet ConstantNet(float foregroundLogit)
    {
        var net = new PmcmNet(new NetworkOptions { NFilters = 2, Classes = 2 });
        using var noGrad = no_grad();
        foreach (var (name, parameter) in net.named_parameters())
        {
            if (name.EndsWith("out_conv.weight", StringComparison.Ordinal)) parameter.zero_();
            if (name.EndsWith("out_conv.bias", StringComparison.Ordinal)) parameter.copy_(tensor(new[] { 0f, foregroundLogit }));
        }
        return net;
    }

    private static float[] RandomImage(int seed)
    {
        var random = new Random(seed);
        var data = new float[Shape.Count];
        for (var i = 0; i < data.Length; i++) data[i] = (float)random.NextDouble();
        return data;
    }
}
