using Pmcm.Learning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Training;

public class GradientNormTests
{
    // Gradients (3, 0) and (4): joint norm 5.
    private static List<Parameter> Parameters()
    {
        var a = new Parameter(zeros(2)) { grad = tensor(new float[] { 3, 0 }) };
        var b = new Parameter(zeros(1)) { grad = tensor(new float[] { 4 }) };
        return [a, b, new Parameter(zeros(3))]; // the third has no gradient and counts as zero
    }

    [Fact]
    public void The_norm_is_taken_over_all_gradients_together() => Assert.Equal(5.0, GradientNorm.Of(Parameters()), 1e-12);

    [Fact]
    public void A_gradient_above_the_limit_is_scaled_to_it_keeping_its_direction()
    {
        var parameters = Parameters();
        Assert.Equal(5.0, GradientNorm.Clip(parameters, 1), 1e-12);
        Assert.Equal([0.6f, 0f], parameters[0].grad!.data<float>().ToArray());
        Assert.Equal(0.8f, parameters[1].grad!.item<float>(), 1e-6f);
        Assert.Equal(1.0, GradientNorm.Of(parameters), 1e-6);
    }

    [Theory]
    [InlineData(0.0)]  // no limit
    [InlineData(5.0)]  // at the limit
    [InlineData(10.0)] // below it
    public void A_gradient_within_the_limit_is_left_alone(double limit)
    {
        var parameters = Parameters();
        Assert.Equal(5.0, GradientNorm.Clip(parameters, limit), 1e-12);
        Assert.Equal([3f, 0f], parameters[0].grad!.data<float>().ToArray());
        Assert.Equal(4f, parameters[1].grad!.item<float>());
    }
}
