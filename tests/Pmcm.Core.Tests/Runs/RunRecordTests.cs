using System.Text.Json;
using Pmcm.Core.Data;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Runs;

public sealed class RunRecordTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static RunRecord Sample() => new()
    {
        Method = "mcnet",
        Preset = "pancreas",
        Data = "/data/la",
        Downsample = 2,
        Labeled = 6,
        Iterations = 40,
        Patch = new Shape3(48, 48, 32),
        Stride = new Shape3(18, 12, 4),
        RotateFlip = false,
        BatchSize = 4,
        LabeledBatchSize = 2,
        NFilters = 8,
        Classes = 2,
        DropoutRate = 0.5,
        LearningRate = 0.01,
        Momentum = 0.9,
        WeightDecay = 1e-4,
        Seed = 1337,
        ValidateEvery = 400,
        Device = "cpu",
        Threads = 2,
        Ramp = "reference",
        RampIterationsPerStep = 150,
        Split = new DatasetSplit(["a", "b"], ["c"], ["d", "e"]),
    };

    [Fact]
    public void A_written_record_reads_back_equal_field_by_field()
    {
        var path = _temp.File(RunRecord.FileName);
        var written = Sample();
        written.Write(path);
        var read = RunRecord.Read(path);
        // Records compare lists by reference, so the split is compared by content and the rest with it set aside.
        Assert.Equal(written with { Split = null }, read with { Split = null });
        Assert.Equal(written.Split!.Labeled, read.Split!.Labeled);
        Assert.Equal(written.Split.Unlabeled, read.Split.Unlabeled);
        Assert.Equal(written.Split.Validation, read.Split.Validation);
    }

    [Fact]
    public void The_file_uses_the_reference_argument_names_and_the_full_stride()
    {
        var path = _temp.File(RunRecord.FileName);
        Sample().Write(path);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(8, root.GetProperty("n_filters").GetInt32());
        Assert.Equal(2, root.GetProperty("labeled_bs").GetInt32());
        Assert.Equal(0.01, root.GetProperty("lr").GetDouble());
        Assert.Equal([48, 48, 32], root.GetProperty("patch").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([18, 12, 4], root.GetProperty("stride").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2, root.GetProperty("downsample").GetInt32());
        Assert.False(root.GetProperty("split").TryGetProperty("training_cases", out _));
    }

    [Fact]
    public void The_config_json_of_an_older_run_loads_with_its_stride_and_downsample()
    {
        var dir = Directory.CreateDirectory(_temp.File("old")).FullName;
        File.WriteAllText(Path.Combine(dir, RunRecord.LegacyFileName), """
            {"method": "pmcm", "preset": "la", "downsample": 2, "labeled": 8, "iterations": 600, "patch": [48, 48, 32],
             "batch_size": 4, "labeled_bs": 2, "n_filters": 8, "classes": 2, "dropout": 0.5, "lr": 0.01, "seed": 1337,
             "val_every": 400, "stride_xy": 18, "stride_z": 4, "device": "cpu", "threads": null, "ramp": "scaled",
             "ramp_iterations_per_step": 6, "split": {"labeled": ["a"], "unlabeled": ["b"], "validation": ["c"]}}
            """);
        var record = RunRecord.ReadFolder(dir);
        Assert.Equal(new Shape3(18, 18, 4), record.Stride);
        Assert.Equal(2, record.Downsample);
        Assert.Equal(8, record.NFilters);
        Assert.Equal(["c"], record.Split!.Validation);
    }

    [Fact]
    public void A_minimal_older_config_gets_the_defaults()
    {
        var path = _temp.File(RunRecord.LegacyFileName);
        File.WriteAllText(path, """{"n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride_xy": 8, "stride_y": 6, "stride_z": 4}""");
        var record = RunRecord.Read(path);
        Assert.Equal(new Shape3(8, 6, 4), record.Stride);
        Assert.Equal(1, record.Downsample);
        Assert.Equal("pmcm", record.Method);
        Assert.Null(record.Split);
    }

    [Theory]
    [InlineData("""{"version": 9, "n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride": [8, 8, 8]}""", "version 9 is newer")]
    [InlineData("""{"n_filters": 2, "classes": 2, "patch": [16, 16, 16]}""", "missing key 'stride_xy'")]
    [InlineData("""{"n_filters": 2, "classes": 2, "patch": [16, 16], "stride": [8, 8, 8]}""", "'patch'")]
    [InlineData("""{"n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride": [8, 8, 8], "downsample": 0}""", "'downsample' must be a positive integer")]
    [InlineData("""{"n_filters": "two", "classes": 2, "patch": [16, 16, 16], "stride": [8, 8, 8]}""", "'n_filters'")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    public void A_bad_record_is_one_clear_error_naming_the_file(string json, string expected)
    {
        var path = _temp.File(RunRecord.FileName);
        File.WriteAllText(path, json);
        var e = Assert.Throws<PmcmException>(() => RunRecord.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_folder_without_a_record_is_not_a_run()
    {
        var e = Assert.Throws<PmcmException>(() => RunRecord.ReadFolder(_temp.Path));
        Assert.Contains("not a training run folder", e.Message);
    }
}
