using System.Diagnostics;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Training;

[CollectionDefinition("Memory", DisableParallelization = true)]
public class MemoryCollection;

// Seeds libtorch's global generator: must not run beside other tests that draw from it.
[Collection("Torch generator")]
public class PmcmStepTests
{
    [Fact]
    public void OneStepReportsEveryDocumentedTermAndLowersTheLossOverSteps()
    {
        // No dropout and a fixed thread count (other tests change libtorch's), so thirty steps on one batch must
        // lower the supervised loss deterministically.
        set_num_threads(1);
        var (step, _) = TinyPmcm.Create(dropout: 0);
        using var data = NewDisposeScope();
        var batch = TinyPmcm.Batch();
        var first = step.Train(batch, 6000);
        foreach (var term in new[] { "total", "Labeled_loss/loss_seg_dice", "Labeled_loss/bd_loss", "Co_loss/feat_sim", "Co_loss/consistency_loss",
                     "Co_loss/u_sim_loss", "loss/1_seg_bd_loss", "loss/1_bd_seg_loss", "loss/2_seg_bd_loss", "loss/2_bd_seg_loss",
                     "loss/seg_bd_map_loss", "loss/bd_seg_map_loss", "weight/consistency_weight", "weight/ual_weight" })
            Assert.True(first.ContainsKey(term), term);
        IReadOnlyDictionary<string, double> last = first;
        for (var i = 1; i < 30; i++) last = step.Train(batch, 6000 + i);
        Assert.True(last["Labeled_loss/loss_seg_dice"] < first["Labeled_loss/loss_seg_dice"],
            $"dice loss {first["Labeled_loss/loss_seg_dice"]} → {last["Labeled_loss/loss_seg_dice"]}");
    }

    [Fact]
    public void NanInTheBatchStopsWithTheTermNamed()
    {
        var (step, _) = TinyPmcm.Create();
        using var data = NewDisposeScope();
        var batch = TinyPmcm.Batch();
        batch.Image[0, 0, 3, 3, 3] = tensor(float.NaN);
        var error = Assert.Throws<NonFiniteLossException>(() => step.Train(batch, 10));
        Assert.Contains("iteration 10", error.Message);
        Assert.False(string.IsNullOrEmpty(error.Term));
    }

}

/// <summary>Alone in its collection: resident memory is process-wide, so no other test may run beside it.</summary>
[Collection("Memory")]
public class StepMemoryTests
{
    [Fact]
    public void ResidentMemoryStaysFlatOverFiftySteps()
    {
        var (step, _) = TinyPmcm.Create();
        using var data = NewDisposeScope();
        var batch = TinyPmcm.Batch();
        long Rss() { GC.Collect(); GC.WaitForPendingFinalizers(); var p = Process.GetCurrentProcess(); p.Refresh(); return p.WorkingSet64; }

        for (var i = 0; i < 10; i++) step.Train(batch, i);
        var afterWarmUp = Rss();
        for (var i = 10; i < 50; i++) step.Train(batch, i);
        var growth = Rss() - afterWarmUp;
        // A leaked step would keep every activation: about 4 × 16³ × 30 floats ≈ 2 MB per step, 80 MB over 40 steps.
        Assert.True(growth < 24L << 20, $"resident memory grew by {growth >> 20} MB over 40 steps");
    }
}
