namespace Pmcm.Core.Preparation;

/// <summary>
/// Cubic B-spline interpolation of sampled lines (Unser, Aldroubi, Eden 1991/1993), as ITK's
/// <c>BSplineDecompositionImageFilter</c> and <c>BSplineInterpolateImageFunction</c> (spline order 3, SimpleITK's
/// <c>sitkBSpline</c>) compute it: samples are first turned into spline coefficients by the causal and
/// anti-causal recursive filter with pole √3 − 2 and mirror boundaries, so that the spline passes through
/// every sample; a value at position t is then the 4-tap B-spline-weighted sum of the coefficients around it,
/// indices outside the line mirrored about its end samples.
/// </summary>
public static class CubicBSpline
{
    private static readonly double Pole = Math.Sqrt(3) - 2;

    // ITK's tolerance for truncating the mirror sum of the first causal coefficient.
    private const double Tolerance = 1e-10;

    /// <summary>Replaces the samples of <paramref name="line"/> with their cubic B-spline coefficients.</summary>
    public static void ToCoefficients(Span<double> line)
    {
        var n = line.Length;
        if (n == 1) return;
        var z = Pole;
        // Overall gain (1 − z)(1 − 1/z) = 6 for the cubic spline.
        var gain = (1 - z) * (1 - 1 / z);
        for (var i = 0; i < n; i++) line[i] *= gain;
        line[0] = InitialCausal(line, z);
        for (var i = 1; i < n; i++) line[i] += z * line[i - 1];
        line[n - 1] = z / (z * z - 1) * (z * line[n - 2] + line[n - 1]);
        for (var i = n - 2; i >= 0; i--) line[i] = z * (line[i + 1] - line[i]);
    }

    /// <summary>
    /// The four B-spline weights for the coefficients at ⌊t⌋ − 1 … ⌊t⌋ + 2, for the fractional part
    /// <paramref name="f"/> = t − ⌊t⌋.
    /// </summary>
    public static (double W0, double W1, double W2, double W3) Weights(double f)
    {
        var f2 = f * f;
        var f3 = f2 * f;
        var g = 1 - f;
        return (g * g * g / 6, (4 - 6 * f2 + 3 * f3) / 6, (1 + 3 * f + 3 * f2 - 3 * f3) / 6, f3 / 6);
    }

    /// <summary>The spline with coefficients <paramref name="c"/> at position <paramref name="t"/> (in samples).</summary>
    public static double Evaluate(ReadOnlySpan<double> c, double t)
    {
        var start = (int)Math.Floor(t) - 1;
        var (w0, w1, w2, w3) = Weights(t - Math.Floor(t));
        return w0 * c[Mirror(start, c.Length)] + w1 * c[Mirror(start + 1, c.Length)]
             + w2 * c[Mirror(start + 2, c.Length)] + w3 * c[Mirror(start + 3, c.Length)];
    }

    /// <summary>Index <paramref name="i"/> reflected into [0, n) about the end samples (…, 2, 1, 0, 1, 2, …).</summary>
    public static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        var period = 2 * (n - 1);
        i = Math.Abs(i) % period;
        return i < n ? i : period - i;
    }

    private static double InitialCausal(ReadOnlySpan<double> c, double z)
    {
        var n = c.Length;
        var horizon = (int)Math.Ceiling(Math.Log(Tolerance) / Math.Log(Math.Abs(z)));
        if (horizon < n)
        {
            // The mirrored terms beyond the horizon are below the tolerance: a truncated sum suffices.
            var sum = c[0];
            var zn = z;
            for (var i = 1; i < horizon; i++)
            {
                sum += zn * c[i];
                zn *= z;
            }
            return sum;
        }
        // Exact sum over the mirror-symmetric extension of the line.
        var power = z;
        var iz = 1 / z;
        var z2n = Math.Pow(z, n - 1);
        var total = c[0] + z2n * c[n - 1];
        z2n *= z2n * iz;
        for (var i = 1; i <= n - 2; i++)
        {
            total += (power + z2n) * c[i];
            power *= z;
            z2n *= iz;
        }
        return total / (1 - power * power);
    }
}
