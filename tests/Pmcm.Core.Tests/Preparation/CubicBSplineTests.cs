using Pmcm.Core.Preparation;

namespace Pmcm.Core.Tests.Preparation;

public class CubicBSplineTests
{
    private static double[] Coefficients(Func<int, double> f, int n)
    {
        var line = Enumerable.Range(0, n).Select(f).ToArray();
        CubicBSpline.ToCoefficients(line);
        return line;
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)] // longer than the truncation horizon of the first causal coefficient
    public void Spline_passes_through_every_sample(int n)
    {
        Func<int, double> f = i => Math.Sin(i * 0.7) * 100 + i;
        var c = Coefficients(f, n);
        for (var i = 0; i < n; i++) Assert.Equal(f(i), CubicBSpline.Evaluate(c, i), 8);
    }

    [Fact]
    public void Constants_are_kept_everywhere_including_the_ends()
    {
        var c = Coefficients(_ => 3, 7);
        foreach (var t in new[] { 0, 0.3, 2.5, 5.9, 6.4 }) Assert.Equal(3, CubicBSpline.Evaluate(c, t), 10);
    }

    [Fact]
    public void Cubic_polynomials_are_reproduced_away_from_the_ends()
    {
        // Cubic spline interpolation is exact for polynomials up to degree 3; mirror ends only disturb the
        // first and last few samples (the error decays as |√3 − 2|ⁿ ≈ 0.27ⁿ).
        Func<double, double> p = t => 0.01 * t * t * t - 0.5 * t * t + 3 * t - 2;
        var c = Coefficients(i => p(i), 60);
        foreach (var t in new[] { 25.25, 30.5, 33.9 }) Assert.Equal(p(t), CubicBSpline.Evaluate(c, t), 6);
    }

    [Theory]
    [InlineData(0, 5, 0)]
    [InlineData(-1, 5, 1)]
    [InlineData(-2, 5, 2)]
    [InlineData(5, 5, 3)]
    [InlineData(6, 5, 2)]
    [InlineData(9, 5, 1)]
    [InlineData(3, 1, 0)]
    public void Indices_outside_the_line_mirror_about_the_end_samples(int index, int n, int expected) =>
        Assert.Equal(expected, CubicBSpline.Mirror(index, n));

    [Fact]
    public void Weights_sum_to_one_and_are_the_b_spline_at_the_sample()
    {
        var (w0, w1, w2, w3) = CubicBSpline.Weights(0);
        Assert.Equal((1 / 6.0, 4 / 6.0, 1 / 6.0, 0), (w0, w1, w2, w3));
        var half = CubicBSpline.Weights(0.5);
        Assert.Equal(1, half.W0 + half.W1 + half.W2 + half.W3, 12);
        Assert.Equal(1 / 48.0, half.W0, 12);
        Assert.Equal(23 / 48.0, half.W1, 12);
    }
}
