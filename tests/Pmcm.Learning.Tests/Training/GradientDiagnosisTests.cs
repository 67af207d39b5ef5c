using Pmcm.Core;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;
using Pmcm.Testing;

namespace Pmcm.Learning.Tests.Training;

// Trains tiny runs: seeds libtorch's global generator.
[Collection("Torch generator")]
public class GradientDiagnosisTests
{
    [Fact]
    public void A_trained_run_is_split_by_loss_part_at_its_checkpoint_and_repeats_exactly()
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var run = temp.File("run");
        new PmcmTrainer(TinyDataset.Options(data, run, 4) with { EmaDecay = 0.9, MaxGradientNorm = 1e-3 }).Run();
        var before = Directory.GetFiles(run).ToDictionary(f => f, File.ReadAllBytes);

        var options = new GradientDiagnosisOptions(run, Batches: 3, Threads: 1);
        var result = GradientDiagnosis.Run(options);

        Assert.Equal("pmcm", result.Method);
        Assert.Equal(4, result.Iteration);
        Assert.Equal(3, result.Batches);
        Assert.Equal(Path.GetFullPath(Path.Combine(run, "last.ckpt")), result.Checkpoint);
        Assert.Equal([PmcmLossParts.Dice, PmcmLossParts.Sdf, PmcmLossParts.Diversity, PmcmLossParts.Task, PmcmLossParts.Cycles, PmcmLossParts.Pml, PmcmLossParts.Ual],
            result.Parts.Select(p => p.Part));
        Assert.Equal(1.0, result.Parts.Sum(p => p.Share), 1e-9);
        Assert.InRange(result.MeanTotalNorm, 1e-9, result.MaxTotalNorm);
        // The run's limit was far below any real gradient: every batch would have been scaled down.
        Assert.Equal((1e-3, 3), (result.MaxGradientNorm, result.ClippedBatches));
        var again = GradientDiagnosis.Run(options);
        Assert.Equal(result.Parts, again.Parts);
        Assert.Equal(result, again with { Parts = result.Parts });
        Assert.Equal("paper", result.LossWeights);

        // At ten times the paper's γ and μ, from the same network and batches: the task and cycle parts are ten times
        // as large and every other part is unchanged.
        var heavier = GradientDiagnosis.Run(options with { LossWeights = new LossWeightOverrides { Gamma = 0.5, Mu = 0.05 } });
        Assert.Equal("gamma=0.5,mu=0.05", heavier.LossWeights);
        foreach (var (paper, weighted) in result.Parts.Zip(heavier.Parts))
        {
            var factor = paper.Part is PmcmLossParts.Task or PmcmLossParts.Cycles ? 10 : 1;
            Assert.Equal(factor * paper.Value, weighted.Value, 1e-5 * Math.Abs(factor * paper.Value) + 1e-12);
        }
        Assert.True(result.Parts.Single(p => p.Part == PmcmLossParts.Task).Value > 0);

        // Only read: every file of the run folder is as training left it.
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void A_run_without_the_PMCM_loss_is_refused_naming_its_method()
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var run = temp.File("run");
        new PmcmTrainer(TinyDataset.Options(data, run, 1) with { Method = TrainingMethod.Supervised }).Run();

        var e = Assert.Throws<PmcmException>(() => GradientDiagnosis.Run(new GradientDiagnosisOptions(run, Batches: 1, Threads: 1)));
        Assert.Contains("'supervised'", e.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_method_is_refused()
    {
        using var temp = new TempDir();
        var data = TinyDataset.Write(temp.File("data"));
        var ablation = temp.File("ablation");
        var supervised = temp.File("supervised");
        new PmcmTrainer(TinyDataset.Options(data, ablation, 1) with { Method = TrainingMethod.PmcmNoCml }).Run();
        new PmcmTrainer(TinyDataset.Options(data, supervised, 1) with { Method = TrainingMethod.Supervised }).Run();

        Assert.Throws<PmcmException>(() => GradientDiagnosis.Run(new GradientDiagnosisOptions(ablation, Path.Combine(supervised, "last.ckpt"), Batches: 1, Threads: 1)));
        var parts = GradientDiagnosis.Run(new GradientDiagnosisOptions(ablation, "best", Batches: 1, Threads: 1)).Parts.Select(p => p.Part);
        Assert.DoesNotContain(PmcmLossParts.Task, parts);
    }
}
