using System.Runtime.Intrinsics;

namespace Pmcm.Learning.Kernels;

/// <summary>Elementwise functions that <see cref="Vector512"/> lacks, accurate to a few float32 ulps like libtorch's.</summary>
internal static class VectorMath
{
    /// <summary>
    /// tanh: for |y| &lt; 0.625 the odd polynomial of Cephes' tanhf (1 − 2/(e^{2|y|} + 1) would cancel there),
    /// otherwise 1 − 2/(e^{2|y|} + 1); the sign of y restored.
    /// </summary>
    public static Vector512<float> Tanh(Vector512<float> y)
    {
        var a = Vector512.Abs(y);
        var large = Vector512<float>.One - Vector512.Create(2f) / (Vector512.Exp(a + a) + Vector512<float>.One);
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
