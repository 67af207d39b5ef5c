using System.Runtime.Intrinsics;

namespace Pmcm.Learning.Kernels;

/// <summary>
/// exp, log and tanh on 16 float32 lanes with the polynomials of Cephes' expf/logf/tanhf (a few ulps, like
/// libtorch's): each a fixed sequence of vector FMAs with a known error (the BCL's Vector512.Exp and
/// Vector512.Log measured no faster in these kernels).
/// </summary>
internal static class VectorMath
{
    /// <summary>eˣ; arguments are clamped to [−86, 88] (e⁻⁸⁶ ≈ 4e−38), so the result is never 0 or ∞.</summary>
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-86f)), Vector512.Create(88f));
        // x = n·ln 2 + r, |r| ≤ ln 2 / 2, with ln 2 split in two so that r is exact; n rounded to nearest by
        // adding and subtracting 1.5·2²³ (plain vector arithmetic, unlike Vector512.Round).
        var magic = Vector512.Create(12582912f);
        var n = Vector512.FusedMultiplyAdd(x, Vector512.Create(1.44269504088896341f), magic) - magic;
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1.9875691500e-4f), r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        var expR = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        // 2ⁿ from the exponent bits; n ∈ [−124, 127] after the clamp.
        var twoToN = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return expR * twoToN;
    }

    /// <summary>ln x for positive normal x.</summary>
    public static Vector512<float> Log(Vector512<float> x)
    {
        // x = m·2ᵉ with m ∈ [√½, √2), then ln x = ln m + e·ln 2 and ln(1 + f), f = m − 1, by a polynomial.
        var bits = x.AsInt32();
        var e = Vector512.ConvertToSingle(Vector512.ShiftRightArithmetic(bits, 23) - Vector512.Create(126));
        var m = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F000000)).AsSingle(); // m ∈ [½, 1)
        var small = Vector512.LessThan(m, Vector512.Create(0.707106781186547524f));
        e -= Vector512.ConditionalSelect(small, Vector512<float>.One, Vector512<float>.Zero);
        var f = m + Vector512.ConditionalSelect(small, m, Vector512<float>.Zero) - Vector512<float>.One;
        var z = f * f;
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(7.0376836292e-2f), f, Vector512.Create(-1.1514610310e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.1676998740e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.2420140846e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.4249322787e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.6668057665e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(2.0000714765e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-2.4999993993e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(3.3333331174e-1f));
        var y = p * f * z;
        y = Vector512.FusedMultiplyAdd(e, Vector512.Create(-2.12194440e-4f), y);
        y = Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), y);
        return Vector512.FusedMultiplyAdd(e, Vector512.Create(0.693359375f), f + y);
    }

    /// <summary>
    /// tanh: for |y| &lt; 0.625 the odd polynomial of Cephes' tanhf (1 − 2/(e^{2|y|} + 1) would cancel there),
    /// otherwise 1 − 2/(e^{2|y|} + 1); the sign of y restored.
    /// </summary>
    public static Vector512<float> Tanh(Vector512<float> y)
    {
        var a = Vector512.Abs(y);
        var large = Vector512<float>.One - Vector512.Create(2f) / (Exp(a + a) + Vector512<float>.One);
        var z = a * a;
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(-5.70498872745e-3f), z, Vector512.Create(2.06390887954e-2f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-5.37397155531e-2f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.33314422036e-1f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-3.33332819422e-1f));
        var small = Vector512.FusedMultiplyAdd(p * z, a, a);
        var magnitude = Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(0.625f)), small, large);
        return magnitude | (y & Vector512.Create(-0f));
    }
}
