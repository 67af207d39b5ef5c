using Pmcm.Core.Data;
using Pmcm.Core.Inference;
using Pmcm.Core.IO;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Tests.Inference;
using Pmcm.Learning.Tests.Training;
using Pmcm.Learning.Training;
using TorchSharp;

namespace Pmcm.Learning.Tests;

[Collection("Torch generator")]
public class SegmenterTests
{
    private static readonly Geometry Anisotropic = new([0.5, 0.75, 2.0], [-12.5, 40, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    private static readonly SegmenterOptions Tiny = new() { Patch = TinyNets.Patch, Stride = TinyNets.Stride, Threads = 1 };

    private static string SavedConstant(TempDir dir, float foregroundLogit)
    {
        var path = dir.File($"constant{foregroundLogit}.pth");
        using var net = TinyNets.Constant(foregroundLogit);
        PyTorchStateDict.Save(net, path);
        return path;
    }

    [Fact]
    public void Segments_on_the_scans_grid_and_reports_millilitres_and_metrics()
    {
        using var dir = new TempDir();
        using var segmenter = Segmenter.Load(SavedConstant(dir, 4), Tiny);
        var scan = new Volume(new Shape3(20, 18, 16), new float[20 * 18 * 16], Anisotropic);

        var result = segmenter.Segment(scan);

        // Every voxel is foreground: 5760 voxels of 0.5 · 0.75 · 2 = 0.75 mm³ = 4320 mm³ = 4.32 mL.
        Assert.Equal(5760, result.ForegroundVoxels);
        Assert.Equal(4.32, result.VolumeMillilitres, 9);
        Assert.Equal(1, segmenter.Segment(scan).Score(result.Mask).Dice);
        // Against a reference holding the first half of the X slices: Dice = 2 · 2880 / (5760 + 2880) = 2/3.
        var half = Volume.Zeros(scan.Shape);
        for (var i = 0; i < half.Data.Length / 2; i++) half.Data[i] = 1;
        Assert.Equal(2 / 3.0, result.Score(half).Dice, 12);

        var path = dir.File("mask.nii.gz");
        result.Save(path);
        var back = VolumeIO.Read(path);
        Assert.Equal(VoxelType.UInt8, back.Type);
        Assert.Equal(Anisotropic.Spacing, back.Geometry.Spacing);
        Assert.Equal(Anisotropic.Origin, back.Geometry.Origin);
        Assert.Equal(5760, back.Data.Sum());
    }

    [Fact]
    public void An_empty_prediction_is_zero_millilitres_and_scores_zero()
    {
        using var dir = new TempDir();
        using var segmenter = Segmenter.Load(SavedConstant(dir, -4), Tiny);
        var scan = new Volume(new Shape3(16, 16, 16), new float[16 * 16 * 16], Anisotropic);
        var result = segmenter.Segment(scan);

        Assert.Equal(0, result.VolumeMillilitres);
        var reference = Volume.Zeros(scan.Shape);
        reference[3, 3, 3] = 1;
        var scores = result.Score(reference);
        Assert.True(scores.EmptyPrediction);
        Assert.Equal(0, scores.Dice);
    }

    [Fact]
    public void Trains_from_code_with_progress_and_the_run_loads_for_segmentation()
    {
        using var dir = new TempDir();
        var data = TinyDataset.Write(dir.File("data"));
        var heard = new List<TrainingProgress>();

        var summary = Segmenter.Train(TinyDataset.Options(data, dir.File("run"), iterations: 3), heard.Add);

        Assert.Equal([1L, 2, 3], heard.Select(p => p.Iteration));
        Assert.All(heard, p => Assert.True(double.IsFinite(p.Loss)));
        Assert.True(heard[^1].Validated);
        Assert.Equal(3, summary.Iterations);
        using var segmenter = Segmenter.Load(summary.RunDirectory, new SegmenterOptions { Threads = 1 });
        Assert.Equal(new Shape3(32, 32, 16), segmenter.Patch);
        Assert.Equal(Path.Combine(summary.RunDirectory, "best.pth"), segmenter.WeightsPath);
        var image = H5Case.Read(Path.Combine(data, "synth_006", "mri_norm2.h5")).Image;
        Assert.Equal(image.Shape, segmenter.Segment(image).Mask.Shape);
    }

    [Fact]
    public void A_run_trained_on_shrunk_standardised_cases_segments_every_scan_on_that_grid()
    {
        using var dir = new TempDir();
        var data = TinyDataset.Write(dir.File("data"));
        var options = TinyDataset.Options(data, dir.File("standardised"), iterations: 3) with { Downsample = 2, Standardise = true };
        var run = Segmenter.Train(options).RunDirectory;
        var plainRun = Segmenter.Train(options with { RunDirectory = dir.File("plain"), Standardise = false }).RunDirectory;
        Assert.True(RunRecord.ReadFolder(run).Standardise);
        Assert.False(RunRecord.ReadFolder(plainRun).Standardise);

        var image = H5Case.Read(Path.Combine(data, "synth_006", "mri_norm2.h5")).Image;
        var dimmed = new Volume(image.Shape, image.Data.Select(v => 0.25f * v - 1).ToArray(), image.Geometry);
        float LargestChange(string model)
        {
            using var segmenter = Segmenter.Load(model, new SegmenterOptions { Threads = 1 });
            var (a, b) = (segmenter.Segment(image).Probability, segmenter.Segment(dimmed).Probability);
            return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        }
        // Z-scored inputs make an intensity scale and offset invisible to the network; the plain run sees them.
        Assert.True(LargestChange(run) < 1e-4f, $"standardised run: {LargestChange(run)}");
        Assert.True(LargestChange(plainRun) > 1e-3f, $"plain run: {LargestChange(plainRun)}");

        // The library's Segmenter runs the network on the run's grid (shrunk ×2), as predict does.
        var model = ModelSource.Load(run);
        using var net = model.Net;
        var window = new SlidingWindowOptions(model.Patch, model.Stride);
        var onGrid = new SlidingWindowInferer(net, torch.CPU, new InferenceOptions(window)).Segment(image, model.Grid);
        using var segmenter = Segmenter.Load(run, new SegmenterOptions { Threads = 1 });
        Assert.Equal(onGrid.Probability, segmenter.Segment(image).Probability);
        Assert.Equal(new TrainingGrid(2, Standardise: true), model.Grid);
    }

    [Fact]
    public void Bad_model_paths_and_options_are_user_errors()
    {
        using var dir = new TempDir();
        Assert.Contains("no such run folder", Assert.Throws<Pmcm.Core.PmcmException>(() => Segmenter.Load(dir.File("nothing"))).Message);
        Assert.Throws<Pmcm.Core.PmcmException>(() => Segmenter.Load(SavedConstant(dir, 1), Tiny with { WindowsPerBatch = 0 }));
    }
}
