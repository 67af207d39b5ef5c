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
