using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Inference;

public sealed class ModelSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pmcm-model-source-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CheckpointGivesTheNetworkSizeFromItsWeightsAndTheLaWindowsByDefault()
    {
        manual_seed(11);
        var saved = new PmcmNet(new NetworkOptions { NFilters = 2, Classes = 3 });
        var path = Path.Combine(_dir, "model.pth");
        PyTorchStateDict.Save(saved, path);

        var loaded = ModelSource.Load(path);
        Assert.Equal(2, loaded.Net.Options.NFilters);
        Assert.Equal(3, loaded.Net.Options.Classes);
        Assert.Equal(new Shape3(112, 112, 80), loaded.Patch);
        Assert.Equal(new Shape3(18, 18, 4), loaded.Stride);
        Assert.Null(loaded.RunDirectory);
        AssertSameWeights(saved, loaded.Net);

        var overridden = ModelSource.Load(path, new ModelSourceOptions(new Shape3(32, 32, 16), new Shape3(8, 8, 2)));
        Assert.Equal(new Shape3(32, 32, 16), overridden.Patch);
        Assert.Equal(new Shape3(8, 8, 2), overridden.Stride);
    }

    [Fact]
    public void RunFolderReadsConfigAndPrefersBestOverLast()
    {
        manual_seed(12);
        var best = new PmcmNet(new NetworkOptions { NFilters = 2 });
        var last = new PmcmNet(new NetworkOptions { NFilters = 2 });
        PyTorchStateDict.Save(last, Path.Combine(_dir, "last.pth"));
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            """{"n_filters": 2, "classes": 2, "patch": [32, 16, 48], "stride_xy": 6, "stride_z": 3, "lr": 0.01}""");

        var fromLast = ModelSource.Load(_dir);
        Assert.EndsWith("last.pth", fromLast.WeightsPath);
        AssertSameWeights(last, fromLast.Net);

        PyTorchStateDict.Save(best, Path.Combine(_dir, "best.pth"));
        var fromBest = ModelSource.Load(_dir);
        Assert.EndsWith("best.pth", fromBest.WeightsPath);
        Assert.Equal(_dir, fromBest.RunDirectory);
        Assert.Equal(new Shape3(32, 16, 48), fromBest.Patch);
        Assert.Equal(new Shape3(6, 6, 3), fromBest.Stride);
        Assert.Equal(1, fromBest.Downsample);
        AssertSameWeights(best, fromBest.Net);
    }

    [Fact]
    public void RunFolderGivesTheTrainingDownsampleAndTheFullStrideCappedAtThePatch()
    {
        PyTorchStateDict.Save(new PmcmNet(new NetworkOptions { NFilters = 2 }), Path.Combine(_dir, "best.pth"));
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            """{"n_filters": 2, "classes": 2, "patch": [32, 16, 48], "stride_xy": 40, "stride_y": 5, "stride_z": 3, "downsample": 2}""");
        var loaded = ModelSource.Load(_dir);
        Assert.Equal(2, loaded.Downsample);
        Assert.Equal(new Shape3(32, 5, 3), loaded.Stride);
        Assert.Equal(new Shape3(8, 8, 8), ModelSource.Load(_dir, new ModelSourceOptions(Stride: new Shape3(8, 8, 8))).Stride);
        var e = Assert.Throws<PmcmException>(() => ModelSource.Load(_dir, new ModelSourceOptions(Patch: new Shape3(16, 16, 16), Stride: new Shape3(17, 8, 8))));
        Assert.Contains("exceeds the patch", e.Message);
    }

    [Fact]
    public void AWeightsFileInsideARunFolderIsLoadedWithThatRunsRecord()
    {
        manual_seed(13);
        var best = new PmcmNet(new NetworkOptions { NFilters = 2 });
        var last = new PmcmNet(new NetworkOptions { NFilters = 2 });
        PyTorchStateDict.Save(best, Path.Combine(_dir, "best.pth"));
        PyTorchStateDict.Save(last, Path.Combine(_dir, "last.pth"));
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            """{"n_filters": 2, "classes": 2, "patch": [32, 16, 48], "stride_xy": 6, "stride_z": 3, "downsample": 2, "standardise": true}""");

        // Without the record, the run's best.pth would be scored on the stored grid with the LA window.
        var loaded = ModelSource.Load(Path.Combine(_dir, "last.pth"));
        Assert.Equal(new TrainingGrid(2, true), loaded.Grid);
        Assert.Equal(new Shape3(32, 16, 48), loaded.Patch);
        Assert.Equal(new Shape3(6, 6, 3), loaded.Stride);
        Assert.Equal(_dir, loaded.RunDirectory);
        Assert.EndsWith("last.pth", loaded.WeightsPath);
        AssertSameWeights(last, loaded.Net);

        // Another network's weights in the folder: the error says why the run's network was expected.
        var foreign = Path.Combine(_dir, "foreign.pth");
        PyTorchStateDict.Save(new PmcmNet(new NetworkOptions { NFilters = 4 }), foreign);
        var e = Assert.Throws<PmcmException>(() => ModelSource.Load(foreign));
        Assert.Contains("foreign.pth", e.Message);
        Assert.Contains($"run folder {_dir}", e.Message);
        Assert.Contains("copy it out of the folder", e.Message);

        var copied = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName, "best.pth");
        File.Copy(Path.Combine(_dir, "best.pth"), copied);
        var bare = ModelSource.Load(copied);
        Assert.Equal(TrainingGrid.Stored, bare.Grid);
        Assert.Null(bare.RunDirectory);
        AssertSameWeights(best, bare.Net);
    }

    [Theory]
    [InlineData("""{"n_filters": 2, "classes": 2, "patch": [32, 16], "stride_xy": 6, "stride_z": 3}""", "'patch'")]
    [InlineData("""{"classes": 2, "patch": [32, 16, 16], "stride_xy": 6, "stride_z": 3}""", "missing key 'n_filters'")]
    [InlineData("""{"n_filters": -1, "classes": 2, "patch": [32, 16, 16], "stride_xy": 6, "stride_z": 3}""", "'n_filters' must be a positive integer")]
    [InlineData("""{"n_filters": 2, """, "not valid JSON")]
    public void BadConfigIsOneClearError(string json, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"), json);
        var e = Assert.Throws<PmcmException>(() => ModelSource.Load(_dir));
        Assert.Contains(expected, e.Message);
        Assert.Contains("config.json", e.Message);
    }

    [Fact]
    public void MissingThingsAreNamed()
    {
        Assert.Contains("no such run folder or checkpoint", Assert.Throws<PmcmException>(() => ModelSource.Load(Path.Combine(_dir, "nope.pth"))).Message);
        File.WriteAllText(Path.Combine(_dir, "config.json"), """{"n_filters": 2, "classes": 2, "patch": [16, 16, 16], "stride_xy": 8, "stride_z": 8}""");
        Assert.Contains("neither best.pth nor last.pth", Assert.Throws<PmcmException>(() => ModelSource.Load(_dir)).Message);
        var garbage = Path.Combine(_dir, "garbage.pth");
        File.WriteAllText(garbage, "not a pickle");
        Assert.Contains("not a readable PyTorch state_dict", Assert.Throws<PmcmException>(() => ModelSource.Load(garbage)).Message);
    }

    [Fact]
    public void WeightsOfAnotherNetworkAreRejected()
    {
        var mapping = new MappingNet(2, 8);
        var path = Path.Combine(_dir, "other.pth");
        PyTorchStateDict.Save(mapping, path);
        var e = Assert.Throws<PmcmException>(() => ModelSource.Load(path));
        Assert.Contains("not a PMCM", e.Message);
    }

    private static void AssertSameWeights(SegmentationNet expected, SegmentationNet actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (key, value) in a) Assert.True(value.eq(b[key]).all().item<bool>(), key);
    }
}
