using System.Text.Json;

namespace Pmcm.Cli.Tests.Commands;

/// <summary>The sdf/metrics/synth/bench commands where no file format is involved (argument checks, the benchmark).</summary>
[Collection("Console")]
public class GeometryCommandsTests
{
    [Fact]
    public void Bench_edt_json_reports_a_median_per_step()
    {
        var (exit, stdout, _) = CliHarness.Run("bench", "edt", "--size", "24,20,16", "--runs", "1", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal([24, 20, 16], doc.RootElement.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        var steps = doc.RootElement.GetProperty("median_ms").EnumerateObject().ToList();
        Assert.Equal(3, steps.Count);
        Assert.All(steps, s => Assert.True(s.Value.GetDouble() >= 0));
    }

    [Theory]
    [InlineData("fused")]
    [InlineData("composed")]
    public void Bench_step_json_reports_wall_and_cpu_seconds_for_the_chosen_losses(string losses)
    {
        var (exit, stdout, _) = CliHarness.Run("bench", "step", "--n-filters", "2", "--batch", "2", "--patch", "16,16,16", "--runs", "1", "--losses", losses, "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(losses, doc.RootElement.GetProperty("losses").GetString());
        foreach (var name in new[] { "step", "forward_backward", "losses" })
        {
            Assert.True(doc.RootElement.GetProperty($"{name}_seconds").GetDouble() > 0, name);
            Assert.True(doc.RootElement.GetProperty($"{name}_cpu_seconds").GetDouble() > 0, name);
        }
    }

    [Fact]
    public void Bench_infer_times_the_patch_and_stride_it_is_given_for_every_batch_size()
    {
        var (exit, stdout, _) = CliHarness.Run("bench", "infer", "--size", "40,36,20", "--patch", "32,32,16", "--stride", "16,16,8",
            "--n-filters", "2", "--batches", "1,3", "--runs", "1", "--threads", "1", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal([32, 32, 16], doc.RootElement.GetProperty("patch").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([16, 16, 8], doc.RootElement.GetProperty("stride").EnumerateArray().Select(e => e.GetInt32()));
        // Two window positions along each axis: ceil((40 − 32) / 16) + 1, ceil((36 − 32) / 16) + 1, ceil((20 − 16) / 8) + 1.
        Assert.Equal(8, doc.RootElement.GetProperty("windows").GetInt32());
        var seconds = doc.RootElement.GetProperty("seconds_per_volume").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(["1", "3"], seconds.Keys);
        Assert.All(seconds.Values, s => Assert.True(s > 0));
    }

    [Fact]
    public void Bench_step_rejects_an_unknown_loss_path()
    {
        var (exit, _, stderr) = CliHarness.Run("bench", "step", "--losses", "fast");
        Assert.NotEqual(0, exit);
        Assert.Contains("fast", stderr);
    }

    [Fact]
    public void Metrics_needs_two_files_or_two_folders()
    {
        var folder = Path.GetTempPath();
        var (exit, _, stderr) = CliHarness.Run("metrics", "--pred", folder, "--gt", Path.Combine(folder, $"missing-{Guid.NewGuid():N}.nii"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error: --pred and --gt must both be files or both be folders", stderr);
    }

    [Fact]
    public void Metrics_rejects_a_bad_spacing()
    {
        var (exit, _, stderr) = CliHarness.Run("metrics", "--pred", "a.nii", "--gt", "b.nii", "--spacing", "1,0,1");
        Assert.Equal(1, exit);
        Assert.Contains("--spacing '1,0,1'", stderr);
    }

    [Fact]
    public void Synth_rejects_a_too_small_size_before_writing_anything()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"pmcm-synth-{Guid.NewGuid():N}");
        var (exit, _, stderr) = CliHarness.Run("synth", "--out", dir, "--size", "8,64,64");
        Assert.Equal(1, exit);
        Assert.Contains("too small", stderr);
        Assert.False(Directory.Exists(dir));
    }
}
