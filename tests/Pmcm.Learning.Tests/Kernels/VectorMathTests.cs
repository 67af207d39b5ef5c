using System.Runtime.Intrinsics;
using Pmcm.Learning.Kernels;

namespace Pmcm.Learning.Tests.Kernels;

/// <summary>The fused kernels' exp, log and tanh against float64 System.Math over their working ranges: a few float32 ulps.</summary>
public class VectorMathTests
{
    private static double MaxRelativeError(Func<Vector512<float>, Vector512<float>> f, Func<double, double> exact, IEnumerable<float> xs)
    {
        var worst = 0.0;
        foreach (var chunk in xs.Chunk(16).Where(c => c.Length == 16))
        {
            var y = f(Vector512.Create(chunk));
            for (var i = 0; i < 16; i++)
            {
                var truth = exact(chunk[i]);
                worst = Math.Max(worst, Math.Abs(y[i] - truth) / Math.Abs(truth));
            }
        }
        return worst;
    }

    private static IEnumerable<float> Range(double from, double to, int count) =>
        Enumerable.Range(0, count).Select(i => (float)(from + (to - from) * i / (count - 1)));

    [Fact]
    public void ExpLogAndTanhAreWithinAFewUlps()
    {
        Assert.InRange(MaxRelativeError(VectorMath.Exp, Math.Exp, Range(-85, 87, 16 * 4000)), 0, 4e-7);
        Assert.InRange(MaxRelativeError(VectorMath.Log, Math.Log, Range(-30, 30, 16 * 4000).Select(e => MathF.Pow(10, e)).Concat(Range(0.5, 2, 16 * 1000))
            .Where(x => Math.Abs(x - 1) > 1e-3)), 0, 4e-7);
        Assert.InRange(MaxRelativeError(VectorMath.Tanh, Math.Tanh, Range(-12, 12, 16 * 4000).Where(x => x != 0).Concat(Range(1e-6, 1e-2, 16 * 100))), 0, 4e-7);
    }

    [Fact]
    public void ExpStaysFiniteAndPositiveAndLogOfOneIsZero()
    {
        var exp = VectorMath.Exp(Vector512.Create(-1000f, -86, 0, 1, 88, 1000, float.MinValue, float.MaxValue, 0, 0, 0, 0, 0, 0, 0, 0));
        for (var i = 0; i < 8; i++) Assert.True(float.IsFinite(exp[i]) && exp[i] > 0, $"exp lane {i}: {exp[i]}");
        Assert.Equal(1f, exp[2]);
        Assert.Equal(0f, VectorMath.Log(Vector512<float>.One)[0]);
        Assert.Equal(-1f, VectorMath.Tanh(Vector512.Create(-50f))[0]);
    }
}
