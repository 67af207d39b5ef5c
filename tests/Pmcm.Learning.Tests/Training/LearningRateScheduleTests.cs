using Pmcm.Core;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void ConstantKeepsThePapersRate()
    {
        Assert.Equal(0.01, LearningRateSchedule.Constant.At(0.01, 0, 100));
        Assert.Equal(0.01, LearningRateSchedule.Constant.At(0.01, 99, 100));
    }

    [Fact]
    public void PolyStartsAtTheBaseAndDecaysAsOneMinusProgressToThePower09()
    {
        Assert.Equal(0.01, LearningRateSchedule.Poly.At(0.01, 0, 100), 15);
        Assert.Equal(0.01 * Math.Pow(0.5, 0.9), LearningRateSchedule.Poly.At(0.01, 50, 100), 15);
        Assert.Equal(0.01 * Math.Pow(0.01, 0.9), LearningRateSchedule.Poly.At(0.01, 99, 100), 15);
        // Past the end (a resumed run shortened), the rate is zero, never negative or NaN.
        Assert.Equal(0.0, LearningRateSchedule.Poly.At(0.01, 120, 100));
    }

    [Fact]
    public void ApplySetsEveryParameterGroupOfTheOptimizer()
    {
        using var weight = zeros(3).requires_grad_();
        var sgd = optim.SGD([new TorchSharp.Modules.Parameter(weight)], 0.01, 0.9);
        LearningRateSchedule.Poly.Apply(sgd, 0.01, 75, 100);
        Assert.All(sgd.ParamGroups, g => Assert.Equal(0.01 * Math.Pow(0.25, 0.9), g.LearningRate, 15));
    }

    [Fact]
    public void ParsesNamesAndRefusesOthers()
    {
        Assert.Equal(LearningRateSchedule.Poly, LearningRateSchedules.Parse(" Poly "));
        Assert.Equal("constant", LearningRateSchedules.Name(LearningRateSchedule.Constant));
        Assert.Contains("constant or poly", Assert.Throws<PmcmException>(() => LearningRateSchedules.Parse("cosine")).Message);
    }
}

public class ResumeConsistencyTests
{
    private static readonly Pmcm.Core.Runs.RunRecord Constant = new() { Iterations = 100, Seed = 1 };

    [Fact]
    public void A_constant_rate_run_may_be_extended_but_a_poly_one_may_not()
    {
        var longer = Constant with { Iterations = 200 };
        Assert.Empty(ResumeConsistency.Conflicts(Constant.ToJson(), longer.ToJson(), ResumeConsistency.ChangeableFor(Constant)));

        var poly = Constant with { LearningRateSchedule = "poly" };
        var conflicts = ResumeConsistency.Conflicts(poly.ToJson(), (longer with { LearningRateSchedule = "poly" }).ToJson(), ResumeConsistency.ChangeableFor(poly));
        Assert.Equal(["iterations (run 100, now 200; continue with --iterations 100)"], conflicts);
    }

    [Fact]
    public void Other_settings_conflict_naming_both_values()
    {
        var conflicts = ResumeConsistency.Conflicts(Constant.ToJson(), (Constant with { EmaDecay = 0.99, Threads = 4 }).ToJson(), ResumeConsistency.ChangeableFor(Constant));
        Assert.Equal(["ema_decay (run 0, now 0.99; continue with --ema-decay 0)"], conflicts);
    }

    [Fact]
    public void Each_conflict_names_the_option_and_value_that_continue_the_run()
    {
        var recorded = Constant with { MaxGradientNorm = 0, Patch = new Pmcm.Core.Volumes.Shape3(48, 48, 32), Corrections = "pml-ce", Classes = 2, LossWeights = "gamma=0.5" };
        var requested = recorded with { MaxGradientNorm = 10, Patch = new Pmcm.Core.Volumes.Shape3(64, 64, 32), Corrections = "none", Classes = 3, LossWeights = "paper" };
        var conflicts = ResumeConsistency.Conflicts(recorded.ToJson(), requested.ToJson(), ResumeConsistency.ChangeableFor(recorded));
        Assert.Equal(
        [
            "classes (run 2, now 3)",
            "clip_grad_norm (run 0, now 10; continue with --clip-grad-norm 0)",
            "corrections (run \"pml-ce\", now \"none\"; continue with --correct pml-ce)",
            "loss_weights (run \"gamma=0.5\", now \"paper\"; continue with --loss-weights gamma=0.5)",
            "patch (run [48,48,32], now [64,64,32]; continue with --patch 48,48,32)",
        ], conflicts);
    }

    [Fact]
    public void A_run_recorded_before_loss_weights_existed_resumes_with_the_papers()
    {
        using var temp = new Pmcm.Testing.TempDir();
        var old = Constant with { NFilters = 2, Classes = 2, Patch = new Pmcm.Core.Volumes.Shape3(16, 16, 16), Stride = new Pmcm.Core.Volumes.Shape3(8, 8, 8) };
        var json = old.ToJson();
        Assert.True(json.Remove("loss_weights"));
        File.WriteAllText(temp.File("run.json"), json.ToJsonString());

        var recorded = Pmcm.Core.Runs.RunRecord.Read(temp.File("run.json"));
        Assert.Equal("paper", recorded.LossWeights);
        Assert.Empty(ResumeConsistency.Conflicts(recorded.ToJson(), old.ToJson(), ResumeConsistency.ChangeableFor(recorded)));
    }
}
