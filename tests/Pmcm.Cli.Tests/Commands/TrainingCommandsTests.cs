using System.Text.Json;
using System.Text.RegularExpressions;

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
}
