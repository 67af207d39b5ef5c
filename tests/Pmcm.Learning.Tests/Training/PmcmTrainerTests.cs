using System.Globalization;
using Pmcm.Core.IO;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Tests.Training;

[Collection("Torch generator")]
public class PmcmTrainerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResumedRunContinuesTheUninterruptedLossCurveExactly(bool averagedAndDecaying)
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var straight = temp.File("straight");
        var split = temp.File("split");
        TrainingSummary summary;
        if (averagedAndDecaying)
        {
            // The weight average and the poly rate are state too. The poly rate depends on the run's length, so the
            // run is interrupted (cancelled after iteration 3) instead of extended.
            var options = (string run) => TinyDataset.Options(data, run, 6) with { EmaDecay = 0.9, LearningRateSchedule = LearningRateSchedule.Poly, ValidateEvery = 1 };
            new PmcmTrainer(options(straight)).Run();
            using var stop = new CancellationTokenSource();
            var interrupted = new PmcmTrainer(options(split)) { Progress = p => { if (p.Iteration == 3) stop.Cancel(); } };
            Assert.Throws<OperationCanceledException>(() => interrupted.Run(cancellation: stop.Token));
            summary = new PmcmTrainer(options(split)).Run(resume: true);
        }
        else
        {
            new PmcmTrainer(TinyDataset.Options(data, straight, 6)).Run();
            new PmcmTrainer(TinyDataset.Options(data, split, 3)).Run();
            summary = new PmcmTrainer(TinyDataset.Options(data, split, 6)).Run(resume: true);
        }

        Assert.Equal(6, summary.Iterations);
        var expected = TrainingLog.Read(Path.Combine(straight, "log.csv"));
        var actual = TrainingLog.Read(Path.Combine(split, "log.csv"));
        Assert.Equal(6, expected.Count);
        Assert.Equal(expected.Select(r => r.Iteration), actual.Select(r => r.Iteration));
        for (var i = 0; i < expected.Count; i++)
            foreach (var (column, value) in expected[i].Values.Where(v => v.Key != "seconds"))
                Assert.True(Math.Abs(value - actual[i].Values[column]) <= 1e-6 * Math.Max(1, Math.Abs(value)),
                    $"iteration {i} column {column}: {value} vs {actual[i].Values[column]}");
        // The ramp weights are logged too, and the consistency terms are non-trivial.
        Assert.Contains("weight/feat_sim_weight", expected[0].Values.Keys);
        // Validation scores equal exactly; only each validation's wall seconds differ between the runs.
        static IEnumerable<string> Scores(string run) => TrainingLog.Read(Path.Combine(run, "validation.csv"))
            .Select(r => string.Join(',', new[] { r.Iteration.ToString(CultureInfo.InvariantCulture) }
                .Concat(r.Values.Where(v => v.Key != RunTime.Column).Select(v => $"{v.Key}={v.Value:R}"))));
        Assert.Equal(Scores(straight), Scores(split));
        Assert.All(TrainingLog.Read(Path.Combine(split, "validation.csv")), r => Assert.True(r.Values[RunTime.Column] > 0));
        if (averagedAndDecaying)
        {
            // Every iteration is validated with the average, before and after the interruption.
            Assert.Equal(6, File.ReadAllLines(Path.Combine(split, "validation.csv")).Length - 1);
            var expectedWeights = PyTorchStateDict.Read(Path.Combine(straight, "last.pth"));
            var actualWeights = PyTorchStateDict.Read(Path.Combine(split, "last.pth"));
            Assert.Equal(expectedWeights.Keys.Order(), actualWeights.Keys.Order());
            foreach (var (name, weight) in expectedWeights) Assert.True(weight.allclose(actualWeights[name], 1e-6, 1e-7), name);
        }
    }

    [Fact]
    public void AveragedRunSavesTheAverageNotTheTrainedWeights()
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var plain = temp.File("plain");
        var averaged = temp.File("averaged");
        new PmcmTrainer(TinyDataset.Options(data, plain, 4) with { Method = TrainingMethod.Supervised }).Run();
        new PmcmTrainer(TinyDataset.Options(data, averaged, 4) with { Method = TrainingMethod.Supervised, EmaDecay = 0.5 }).Run();

        // Same seed, same batches, same training: the trained weights agree, so the saved ones differ only by averaging.
        Assert.Equal(TrainingLog.Read(Path.Combine(plain, "log.csv")).Select(r => r.Values["total"]),
            TrainingLog.Read(Path.Combine(averaged, "log.csv")).Select(r => r.Values["total"]));
        var trained = PyTorchStateDict.Read(Path.Combine(plain, "last.pth"));
        var average = PyTorchStateDict.Read(Path.Combine(averaged, "last.pth"));
        Assert.Contains(trained, w => w.Value.is_floating_point() && !w.Value.allclose(average[w.Key], 1e-4, 1e-6));
        Assert.Equal(0.5, RunRecord.ReadFolder(averaged).EmaDecay);
        Assert.Equal("constant", RunRecord.ReadFolder(averaged).LearningRateSchedule);
    }

    [Fact]
    public void WritesConfigCheckpointsAndPyTorchWeightsThatLoadBack()
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var run = temp.File("run");
        var summary = new PmcmTrainer(TinyDataset.Options(data, run, 3)).Run();

        var record = RunRecord.ReadFolder(run);
        Assert.Equal(2, record.NFilters);
        Assert.Equal(2, record.Classes);
        Assert.Equal(new Shape3(32, 32, 16), record.Patch);
        // The options' stride, which does not exceed the patch.
        Assert.Equal(new Shape3(16, 16, 16), record.Stride);
        Assert.Equal(1, record.Downsample);
        // 6 training cases: the last 2 validate, the first 2 are labeled.
        Assert.Equal(["synth_004", "synth_005"], record.Split!.Validation);
        Assert.Equal(["synth_000", "synth_001"], record.Split.Labeled);

        foreach (var name in new[] { "last.ckpt", "best.ckpt", "last.pth", "best.pth", "log.csv", "validation.csv" })
            Assert.True(File.Exists(Path.Combine(run, name)), name);
        // SDFs were computed into the run's cache, never into the data folder.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(run, "cache")).Length);
        Assert.False(H5Volumes.Contains(Path.Combine(data, "synth_000", "mri_norm2.h5"), H5Case.SdfName));

        var loaded = new PmcmNet(new NetworkOptions { NFilters = 2 });
        PyTorchStateDict.Load(loaded, Path.Combine(run, "best.pth"));
        Assert.Equal(3, summary.Iterations);
        // Each iteration's wall seconds (batch wait + step) are logged; together they fit in the run's time.
        var seconds = TrainingLog.Read(Path.Combine(run, "log.csv")).Select(r => r.Values["seconds"]).ToList();
        Assert.Equal(3, seconds.Count);
        Assert.All(seconds, s => Assert.True(s > 0));
        Assert.InRange(seconds.Sum(), 0, summary.Elapsed.TotalSeconds);
        Assert.InRange(summary.BestDice, 0, 1);
    }

    [Fact]
    public void NonFiniteLossStopsNamingTheTermAndKeepsTheLastGoodCheckpoint()
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var run = temp.File("run");
        new PmcmTrainer(TinyDataset.Options(data, run, 3)).Run();
        var good = File.ReadAllBytes(Path.Combine(run, "last.ckpt"));

        // Poison every training case's image, then continue: the first step's loss is NaN.
        foreach (var dir in Directory.GetDirectories(data))
        {
            var path = Path.Combine(dir, "mri_norm2.h5");
            var c = H5Case.Read(path);
            Array.Fill(c.Image.Data, float.NaN);
            c.Write(path);
        }
        var e = Assert.Throws<NonFiniteLossException>(() => new PmcmTrainer(TinyDataset.Options(data, run, 6)).Run(resume: true));
        Assert.Contains("iteration 3", e.Message);
        Assert.False(string.IsNullOrEmpty(e.Term));
        Assert.Equal(good, File.ReadAllBytes(Path.Combine(run, "last.ckpt")));
    }

    [Theory]
    [InlineData("supervised", 4)] // every non-validation case labeled: the upper-bound row
    [InlineData("mcnet", 2)]
    public void BaselinesTrainThroughTheSameLoopAndReloadForInference(string methodName, int labeled)
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var run = temp.File("run");
        var method = TrainingMethods.Parse(methodName);
        new PmcmTrainer(TinyDataset.Options(data, run, 2) with { Method = method, Labeled = labeled }).Run();

        Assert.Equal(methodName, RunRecord.ReadFolder(run).Method);
        var model = Pmcm.Learning.Inference.ModelSource.Load(run);
        Assert.Equal(method == TrainingMethod.Supervised ? typeof(VNet) : typeof(McNet), model.Net.GetType());
        Assert.Equal(2, TrainingLog.Read(Path.Combine(run, "log.csv")).Count);
    }
}
