using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Pmcm.Cli.Commands;
using Pmcm.Core.Data;
using Pmcm.Learning;
using Pmcm.Learning.Training;

namespace Pmcm.Cli.Tests.Commands;

[Collection("Console")]
public class TrainingCommandsTests
{
    [Fact]
    public void Quick_demo_trains_and_prints_per_case_metrics_with_mean_and_std()
    {
        using var dir = new TempDir();
        var (exit, stdout, stderr) = CliHarness.Run("demo", "--quick", "--out", dir.Path, "--threads", "1");
        Assert.True(exit == 0, stderr);
        // Two synthetic test cases scored, then the mean ± std row; every Dice is a number in [0, 1].
        var dice = Regex.Matches(stdout, @"synth_00[67]\s*│\s*([0-9.]+)").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, dice.Count);
        Assert.All(dice, d => Assert.InRange(d, 0, 1));
        Assert.Matches(@"mean ± std\s*│\s*[0-9.]+ ± [0-9.]+", stdout);
        Assert.Contains("training_curves.png", stdout);
        foreach (var name in new[] { "run.json", "best.pth", "last.ckpt", "log.csv", "validation.csv" })
            Assert.True(File.Exists(Path.Combine(dir.Path, "run", name)), name);
        Assert.Equal(10, File.ReadAllLines(Path.Combine(dir.Path, "run", "log.csv")).Length - 1);
    }

    [Fact]
    public void Train_rejects_bad_arguments_with_one_line_errors()
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = CliHarness.Run("train", "--data", dir.File("missing"), "--out", dir.File("run"));
        Assert.Equal(1, exit);
        Assert.Matches(@"^error: .*missing.*data folder not found\s*$", stderr);

        (exit, _, stderr) = CliHarness.Run("train", "--data", dir.Path, "--out", dir.File("run"), "--patch", "50,48,32");
        Assert.Equal(1, exit);
        Assert.Contains("multiple of 16", stderr);

        (exit, _, stderr) = CliHarness.Run("train", "--data", dir.Path, "--out", dir.File("run"), "--preset", "brain");
        Assert.Equal(1, exit);
        Assert.Contains("--preset 'brain'", stderr);

        (exit, _, stderr) = CliHarness.Run("train", "--data", dir.Path, "--out", dir.File("run"), "--clip-grad-norm", "-1");
        Assert.Equal(1, exit);
        Assert.Contains("--clip-grad-norm -1 must be 0 (off) or a positive number", stderr);

        (exit, _, stderr) = CliHarness.Run("train", "--data", dir.Path, "--out", dir.File("run"), "--method", "supervised", "--loss-weights", "gamma=1");
        Assert.Equal(1, exit);
        Assert.Contains("--loss-weights gamma=1: method supervised has no PMCM objective to weigh", stderr);

        (exit, _, stderr) = CliHarness.Run("train", "--data", dir.Path, "--out", dir.File("run"), "--loss-weights", "omega=1");
        Assert.Equal(1, exit);
        Assert.Contains("--loss-weights 'omega': not a weight of the objective; use lambda, beta, gamma, phi, mu, kappa, rho", stderr);

        // A malformed size names its option, in every command that takes one.
        (exit, _, stderr) = CliHarness.Run("train", "--data", dir.Path, "--out", dir.File("run"), "--patch", "abc");
        Assert.Equal(1, exit);
        Assert.Contains("--patch 'abc' is not a size", stderr);
        (exit, _, stderr) = CliHarness.Run("synth", "--out", dir.File("data"), "--size", "0,4,4");
        Assert.Equal(1, exit);
        Assert.Contains("--size '0,4,4' is not a size", stderr);
    }

    [Theory]
    [InlineData(new string[0], Precision.Fp32, "fp32")]
    [InlineData(new[] { "--precision", "bf16" }, Precision.Bf16, "bf16")]
    [InlineData(new[] { "--precision", "FP32" }, Precision.Fp32, "fp32")]
    public void Precision_option_reaches_the_network_and_the_run_config(string[] extra, Precision expected, string written)
    {
        var shared = new TrainingOptionSet("run folder");
        var command = new Command("train");
        shared.AddTo(command);
        var options = shared.Resolve(command.Parse(["--data", "data", "--out", "run", .. extra]));

        Assert.Equal(expected, options.Precision);
        Assert.Equal(expected, options.Network.Precision);
        using var network = TrainingMethods.CreateNetwork(options.Method, options.Network with { NFilters = 2 });
        Assert.Equal(expected, network.Precision);
        var split = DatasetSplit.Create(["a", "b", "c", "d"], null, new SplitOptions(Labeled: 2, ValidationCount: 1));
        Assert.Equal(written, options.Record(split).Precision);
    }

    // Clipping is on by default (one reference PMCM-8 run on LA collapsed in one step); 0 restores the reference.
    [Theory]
    [InlineData(new string[0], 10.0)]
    [InlineData(new[] { "--clip-grad-norm", "0" }, 0.0)]
    [InlineData(new[] { "--clip-grad-norm", "2.5" }, 2.5)]
    public void Gradient_clipping_defaults_to_norm_10_and_reaches_the_optimizer_and_the_run_record(string[] extra, double expected)
    {
        var shared = new TrainingOptionSet("run folder");
        var command = new Command("train");
        shared.AddTo(command);
        var options = shared.Resolve(command.Parse(["--data", "data", "--out", "run", .. extra]));

        Assert.Equal(expected, options.Optimizer.MaxGradientNorm);
        var split = DatasetSplit.Create(["a", "b", "c", "d"], null, new SplitOptions(Labeled: 2, ValidationCount: 1));
        Assert.Equal(expected, options.Record(split).MaxGradientNorm);
    }

    [Fact]
    public void Train_with_an_unknown_precision_is_a_one_line_error_before_anything_is_written()
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = CliHarness.Run("train", "--data", dir.Path, "--out", dir.File("run"), "--precision", "fp16");
        Assert.Equal(1, exit);
        Assert.Equal("error: unknown precision 'fp16': use fp32 or bf16", stderr.Trim());
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void Train_resume_without_a_checkpoint_says_so()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("data"), "--cases", "8", "--size", "32,32,32", "--test-fraction", "0.25").Exit);
        var (exit, _, stderr) = CliHarness.Run("train", "--data", dir.File("data"), "--out", dir.File("run"), "--resume",
            "--labeled", "2", "--patch", "32,32,16", "--batch", "2", "--labeled-batch", "1", "--n-filters", "2");
        Assert.Equal(1, exit);
        Assert.Contains("last.ckpt: no checkpoint to resume from", stderr);
    }

    private static readonly string[] TinyRun =
        ["--labeled", "2", "--patch", "32,32,16", "--batch", "2", "--labeled-batch", "1", "--n-filters", "2", "--val-every", "2", "--threads", "1"];

    [Fact]
    public void A_standardised_run_is_recorded_resumed_only_as_such_and_predict_standardises_its_inputs()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("data"), "--cases", "8", "--size", "32,32,32", "--test-fraction", "0.25").Exit);
        string[] train = ["train", "--data", dir.File("data"), "--out", dir.File("run"), .. TinyRun, "--standardise"];
        var first = CliHarness.Run([.. train, "--iterations", "2"]);
        Assert.True(first.Exit == 0, first.Err);
        Assert.Contains("\"standardise\": true", File.ReadAllText(Path.Combine(dir.File("run"), "run.json")));

        var (exit, _, stderr) = CliHarness.Run([.. train[..^1], "--iterations", "4", "--resume"]);
        Assert.Equal(1, exit);
        Assert.Contains("standardise (run true, now false; continue with --standardise true)", stderr);

        // A scan and the same scan at a quarter of the intensity, shifted: the same mask, voxel for voxel.
        var image = H5Case.Read(Path.Combine(dir.File("data"), "synth_006", "mri_norm2.h5")).Image;
        VolumeIO.Write(dir.File("scan.nii.gz"), image);
        VolumeIO.Write(dir.File("dim.nii.gz"), new Volume(image.Shape, image.Data.Select(v => 0.25f * v - 1).ToArray(), image.Geometry));
        foreach (var scan in new[] { "scan", "dim" })
        {
            var predicted = CliHarness.Run("predict", "--model", dir.File("run"), "--input", dir.File($"{scan}.nii.gz"), "--out", dir.File($"{scan}-mask.nii.gz"), "--threads", "1");
            Assert.True(predicted.Exit == 0, predicted.Err);
        }
        var mask = VolumeIO.Read(dir.File("scan-mask.nii.gz")).Data;
        Assert.Equal(mask, VolumeIO.Read(dir.File("dim-mask.nii.gz")).Data);
        Assert.InRange(mask.Count(v => v != 0), 1, mask.Length - 1);
    }

    [Fact]
    public void Gradients_splits_a_trained_run_by_loss_term_and_names_a_bad_checkpoint()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("data"), "--cases", "8", "--size", "32,32,32", "--test-fraction", "0.25").Exit);
        var trained = CliHarness.Run(["train", "--data", dir.File("data"), "--out", dir.File("run"), .. TinyRun, "--iterations", "2"]);
        Assert.True(trained.Exit == 0, trained.Err);

        var (exit, stdout, stderr) = CliHarness.Run("gradients", "--run", dir.File("run"), "--batches", "2", "--threads", "1", "--json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("Iteration").GetInt64());
        var parts = root.GetProperty("Parts").EnumerateArray().ToList();
        Assert.Equal(["dice", "sdf", "diversity", "task", "cycles", "pml", "ual"], parts.Select(p => p.GetProperty("Part").GetString()));
        Assert.Equal(1.0, parts.Sum(p => p.GetProperty("Share").GetDouble()), 1e-9);

        Assert.Equal("paper", root.GetProperty("LossWeights").GetString());

        var table = CliHarness.Run("gradients", "--run", dir.File("run"), "--batches", "1", "--threads", "1", "--checkpoint", "best", "--loss-weights", "kappa=3");
        Assert.True(table.Exit == 0, table.Err);
        Assert.Matches(@"pml\s*│\s*-?[0-9.]+\s*│\s*-?[0-9.]+ %", table.Out);
        Assert.Contains("loss weights kappa=3", table.Out);
        (exit, _, stderr) = CliHarness.Run("gradients", "--run", dir.File("run"), "--loss-weights", "kappa=-3");
        Assert.Equal(1, exit);
        Assert.Contains("--loss-weights kappa='-3'", stderr);

        File.WriteAllBytes(dir.File("broken.ckpt"), File.ReadAllBytes(Path.Combine(dir.File("run"), "last.ckpt"))[..1000]);
        (exit, _, stderr) = CliHarness.Run("gradients", "--run", dir.File("run"), "--checkpoint", dir.File("broken.ckpt"), "--threads", "1");
        Assert.Equal(1, exit);
        Assert.Contains("broken.ckpt", stderr);
        (exit, _, stderr) = CliHarness.Run("gradients", "--run", dir.File("run"), "--checkpoint", dir.File("missing.ckpt"));
        Assert.Equal(1, exit);
        Assert.EndsWith("missing.ckpt: no such checkpoint", stderr.Trim());
    }

    [Fact]
    public void A_finished_run_is_neither_overwritten_nor_resumed_with_other_settings()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("data"), "--cases", "8", "--size", "32,32,32", "--test-fraction", "0.25").Exit);
        string[] train = ["train", "--data", dir.File("data"), "--out", dir.File("run"), .. TinyRun];
        var first = CliHarness.Run([.. train, "--iterations", "2"]);
        Assert.True(first.Exit == 0, first.Err);
        var run = dir.File("run");
        var snapshot = Directory.GetFiles(run).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        // Defect 11: a second fresh run into the same folder is refused and changes nothing.
        var (exit, _, stderr) = CliHarness.Run([.. train, "--iterations", "2"]);
        Assert.Equal(1, exit);
        Assert.Contains("already holds a run", stderr);
        Assert.All(snapshot, f => Assert.Equal(f.Value, File.ReadAllBytes(Path.Combine(run, f.Key))));

        // Defect 7: resuming with another lr and seed is refused, naming both, and the record stays as it was.
        (exit, _, stderr) = CliHarness.Run([.. train, "--iterations", "4", "--resume", "--lr", "0.5", "--seed", "5"]);
        Assert.Equal(1, exit);
        Assert.Contains("lr (run 0.01, now 0.5; continue with --lr 0.01)", stderr);
        Assert.Contains("seed (run 1337, now 5; continue with --seed 1337)", stderr);
        Assert.Equal(snapshot["run.json"], File.ReadAllBytes(Path.Combine(run, "run.json")));

        // Defect 12: a temporary file left by a killed writer is gone after a good resume.
        var stale = Path.Combine(run, $".last.ckpt.4242.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(stale, [1, 2, 3]);
        (exit, _, stderr) = CliHarness.Run([.. train, "--iterations", "4", "--resume"]);
        Assert.True(exit == 0, stderr);
        Assert.False(File.Exists(stale));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(run, "log.csv")).Length - 1);

        // --overwrite starts over.
        (exit, _, stderr) = CliHarness.Run([.. train, "--iterations", "2", "--overwrite"]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "log.csv")).Length - 1);
    }

    [Fact]
    public void A_case_whose_label_does_not_fit_its_image_stops_training_before_the_first_iteration()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("data"), "--cases", "8", "--size", "32,32,32", "--test-fraction", "0.25").Exit);
        // The 4th listed case (unlabeled in this split, but it carries a label) gets a 32×32×30 label.
        var name = File.ReadAllLines(dir.File("data/train.list"))[3];
        var path = Path.Combine(dir.File("data"), name, "mri_norm2.h5");
        var image = H5Volumes.Read(path, "image");
        H5Volumes.Write(path, [("image", image), ("label", Volume.Zeros(new Shape3(32, 32, 30), type: VoxelType.UInt8))]);

        var (exit, _, stderr) = CliHarness.Run(["train", "--data", dir.File("data"), "--out", dir.File("run"), "--iterations", "200", .. TinyRun]);
        Assert.Equal(1, exit);
        Assert.Contains($"'{name}' has 'label' 32×32×30 but 'image' 32×32×32", stderr);
        Assert.False(File.Exists(dir.File("run/log.csv")));
    }
}
