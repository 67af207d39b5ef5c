using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Pmcm.Learning.Kernels;
using static Pmcm.Learning.Kernels.VoxelBlocks;

namespace Pmcm.Learning.Networks;

/// <summary>
/// The per-voxel arithmetic of one call of a two-channel mapping network (<see cref="MappingNetFunction"/>) over
/// float32 memory laid out (B, 2, N), so each channel plane is contiguous and 16 voxels are one <see cref="Vector512{T}"/>.
/// With x = (x₀, x₁) a voxel's input and the BatchNorm statistics (μ, σ²) fixed for the call, per hidden channel j:
/// ĥ_j = (W₁[j]·x + b₁_j − μ_j)/√(σ²_j + ε) (the normalised hidden layer), z_j = γ_j ĥ_j + β_j, a_j = relu(z_j);
/// y = W₂a + b₂, out = act(y). The hidden channels are never stored: the backward passes recompute them from x.
/// Sums as <see cref="VoxelBlocks"/>.
/// </summary>
internal sealed unsafe class MappingNetKernel
{
    public const int Channels = 2;

    /// <summary>One hidden channel's constants, each broadcast to 16 lanes.</summary>
    private struct Unit
    {
        public Vector512<float> NormW0, NormW1, NormB;   // ĥ = NormW0·x₀ + NormW1·x₁ + NormB
        public Vector512<float> Gamma, Beta;
        public Vector512<float> Out0, Out1;             // W₂[0, j], W₂[1, j]
        public Vector512<float> In0, In1;               // W₁[j, 0], W₁[j, 1]
    }

    /// <summary>A hidden channel's BatchNorm backward g_h = K·gz − (KMeanGz + KMeanGzNormalised·ĥ).</summary>
    private struct BackwardUnit
    {
        public Vector512<float> K, KMeanGz, KMeanGzNormalised;
    }

    private readonly int hidden;
    private readonly MappingActivation activation;
    private readonly Unit[] units;
    private readonly Vector512<float> bias0, bias1;

    public MappingNetKernel(MappingActivation activation, float[] w1, float[] b1, float[] gamma, float[] beta, float[] w2, float[] b2,
        double[] mean, double[] invStd)
    {
        (hidden, this.activation) = (b1.Length, activation);
        (W1, B1) = (w1, b1);
        units = new Unit[hidden];
        for (var j = 0; j < hidden; j++)
        {
            units[j] = new Unit
            {
                NormW0 = Vector512.Create((float)(w1[j * Channels] * invStd[j])),
                NormW1 = Vector512.Create((float)(w1[j * Channels + 1] * invStd[j])),
                NormB = Vector512.Create((float)((b1[j] - mean[j]) * invStd[j])),
                Gamma = Vector512.Create(gamma[j]),
                Beta = Vector512.Create(beta[j]),
                Out0 = Vector512.Create(w2[j]),
                Out1 = Vector512.Create(w2[hidden + j]),
                In0 = Vector512.Create(w1[j * Channels]),
                In1 = Vector512.Create(w1[j * Channels + 1]),
            };
        }
        (bias0, bias1) = (Vector512.Create(b2[0]), Vector512.Create(b2[1]));
    }

    public float[] W1 { get; }
    public float[] B1 { get; }

    /// <summary>Σx₀, Σx₁, Σx₀², Σx₀x₁, Σx₁x₀, Σx₁² over all voxels (the second moments row-major): the BatchNorm batch statistics of W₁x + b₁ follow from them.</summary>
    public static double[] Moments(float* x, int batch, long voxels) =>
        ReduceBlocks(batch, voxels, 6, (item, start, end, sums) => MomentsBlock(x + item * Channels * voxels, voxels, start, end, sums));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MomentsBlock(float* x, long voxels, long start, long end, Span<double> sums)
    {
        var acc = stackalloc Vector512<float>[5];
        var totals = stackalloc Vector512<double>[5];
        for (var k = 0; k < 5; k++) (acc[k], totals[k]) = (default, default);
        var pending = 0;
        for (var v = start; v < end; v += Lanes)
        {
            var lanes = (int)Math.Min(Lanes, end - v);
            var x0 = Load(x + v, lanes);
            var x1 = Load(x + voxels + v, lanes);
            acc[0] += x0;
            acc[1] += x1;
            acc[2] = Vector512.FusedMultiplyAdd(x0, x0, acc[2]);
            acc[3] = Vector512.FusedMultiplyAdd(x0, x1, acc[3]);
            acc[4] = Vector512.FusedMultiplyAdd(x1, x1, acc[4]);
            if (++pending == FlushVectors) { Flush(acc, totals, 5); pending = 0; }
        }
        Flush(acc, totals, 5);
        Span<double> five = stackalloc double[5];
        Total(totals, five);
        (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]) = (five[0], five[1], five[2], five[3], five[3], five[4]);
    }

    /// <summary>out = act(W₂ relu(γ ĥ + β) + b₂) for every voxel.</summary>
    public void Forward(float* x, float* output, int batch, long voxels) =>
        ForBlocks(batch, voxels, (item, start, end) => ForwardBlock(x + item * Channels * voxels, output + item * Channels * voxels, voxels, start, end));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardBlock(float* x, float* output, long voxels, long start, long end)
    {
        var v = start;
        // Two vectors per step keep two independent FMA chains in flight.
        for (; v + 2 * Lanes <= end; v += 2 * Lanes)
        {
            var (a0, a1) = (Vector512.Load(x + v), Vector512.Load(x + voxels + v));
            var (b0, b1) = (Vector512.Load(x + v + Lanes), Vector512.Load(x + voxels + v + Lanes));
            var (ya0, ya1, yb0, yb1) = (bias0, bias1, bias0, bias1);
            foreach (ref readonly var u in units.AsSpan())
            {
                var reluA = Vector512.Max(Vector512.FusedMultiplyAdd(u.Gamma, Normalised(u, a0, a1), u.Beta), Vector512<float>.Zero);
                var reluB = Vector512.Max(Vector512.FusedMultiplyAdd(u.Gamma, Normalised(u, b0, b1), u.Beta), Vector512<float>.Zero);
                ya0 = Vector512.FusedMultiplyAdd(u.Out0, reluA, ya0);
                ya1 = Vector512.FusedMultiplyAdd(u.Out1, reluA, ya1);
                yb0 = Vector512.FusedMultiplyAdd(u.Out0, reluB, yb0);
                yb1 = Vector512.FusedMultiplyAdd(u.Out1, reluB, yb1);
            }
            Activate(ref ya0, ref ya1);
            Activate(ref yb0, ref yb1);
            ya0.Store(output + v);
            ya1.Store(output + voxels + v);
            yb0.Store(output + v + Lanes);
            yb1.Store(output + voxels + v + Lanes);
        }
        for (; v < end; v += Lanes)
        {
            var lanes = (int)Math.Min(Lanes, end - v);
            var x0 = Load(x + v, lanes);
            var x1 = Load(x + voxels + v, lanes);
            var (y0, y1) = (bias0, bias1);
            foreach (ref readonly var u in units.AsSpan())
            {
                var a = Vector512.Max(Vector512.FusedMultiplyAdd(u.Gamma, Normalised(u, x0, x1), u.Beta), Vector512<float>.Zero);
                y0 = Vector512.FusedMultiplyAdd(u.Out0, a, y0);
                y1 = Vector512.FusedMultiplyAdd(u.Out1, a, y1);
            }
            Activate(ref y0, ref y1);
            Store(output + v, y0, lanes);
            Store(output + voxels + v, y1, lanes);
        }
    }

    /// <summary>Offsets of the backward sums: Σ gy_o (2), then per hidden channel j (6 each): Σ gy₀ a_j, Σ gy₁ a_j, Σ gz_j, Σ gz_j ĥ_j, Σ gz_j x₀, Σ gz_j x₁.</summary>
    public static class Sum
    {
        public const int PerUnit = 6;
        public const int OutBias = 0, OutWeight0 = 0, OutWeight1 = 1, Beta = 2, Gamma = 3, InWeight0 = 4, InWeight1 = 5;
        public static int Unit(int j) => Channels + j * PerUnit;
    }

    /// <summary>
    /// The sums every parameter gradient is made of (<see cref="Sum"/>), from the output gradient g_out:
    /// gy = act′(y)ᵀ g_out, gz = (W₂ᵀ gy)·[z &gt; 0].
    /// </summary>
    public double[] BackwardSums(float* x, float* output, float* outputGrad, int batch, long voxels) =>
        ReduceBlocks(batch, voxels, Channels + hidden * Sum.PerUnit, (item, start, end, sums) =>
        {
            var offset = item * Channels * voxels;
            BackwardSumsBlock(x + offset, output + offset, outputGrad + offset, voxels, start, end, sums);
        });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardSumsBlock(float* x, float* output, float* outputGrad, long voxels, long start, long end, Span<double> sums)
    {
        var width = sums.Length;
        var acc = stackalloc Vector512<float>[width];
        var totals = stackalloc Vector512<double>[width];
        for (var k = 0; k < width; k++) (acc[k], totals[k]) = (default, default);
        var pending = 0;
        var v = start;
        // Two vectors per step: each accumulator is loaded and stored once for both.
        for (; v + 2 * Lanes <= end; v += 2 * Lanes)
        {
            var (a0, a1) = (Vector512.Load(x + v), Vector512.Load(x + voxels + v));
            var (b0, b1) = (Vector512.Load(x + v + Lanes), Vector512.Load(x + voxels + v + Lanes));
            var (gya0, gya1) = OutputGradient(output, outputGrad, voxels, v, Lanes);
            var (gyb0, gyb1) = OutputGradient(output, outputGrad, voxels, v + Lanes, Lanes);
            acc[0] += gya0 + gyb0;
            acc[1] += gya1 + gyb1;
            var a = acc + Channels;
            foreach (ref readonly var u in units.AsSpan())
            {
                var normalisedA = Normalised(u, a0, a1);
                var normalisedB = Normalised(u, b0, b1);
                var zA = Vector512.FusedMultiplyAdd(u.Gamma, normalisedA, u.Beta);
                var zB = Vector512.FusedMultiplyAdd(u.Gamma, normalisedB, u.Beta);
                var reluA = Vector512.Max(zA, Vector512<float>.Zero);
                var reluB = Vector512.Max(zB, Vector512<float>.Zero);
                a[Sum.OutWeight0] = Vector512.FusedMultiplyAdd(gya0, reluA, Vector512.FusedMultiplyAdd(gyb0, reluB, a[Sum.OutWeight0]));
                a[Sum.OutWeight1] = Vector512.FusedMultiplyAdd(gya1, reluA, Vector512.FusedMultiplyAdd(gyb1, reluB, a[Sum.OutWeight1]));
                var gzA = HiddenGradient(u, zA, gya0, gya1);
                var gzB = HiddenGradient(u, zB, gyb0, gyb1);
                a[Sum.Beta] += gzA + gzB;
                a[Sum.Gamma] = Vector512.FusedMultiplyAdd(gzA, normalisedA, Vector512.FusedMultiplyAdd(gzB, normalisedB, a[Sum.Gamma]));
                a[Sum.InWeight0] = Vector512.FusedMultiplyAdd(gzA, a0, Vector512.FusedMultiplyAdd(gzB, b0, a[Sum.InWeight0]));
                a[Sum.InWeight1] = Vector512.FusedMultiplyAdd(gzA, a1, Vector512.FusedMultiplyAdd(gzB, b1, a[Sum.InWeight1]));
                a += Sum.PerUnit;
            }
            if ((pending += 2) >= FlushVectors) { Flush(acc, totals, width); pending = 0; }
        }
        for (; v < end; v += Lanes)
        {
            var lanes = (int)Math.Min(Lanes, end - v);
            var x0 = Load(x + v, lanes);
            var x1 = Load(x + voxels + v, lanes);
            var (gy0, gy1) = OutputGradient(output, outputGrad, voxels, v, lanes);
            acc[0] += gy0;
            acc[1] += gy1;
            var a = acc + Channels;
            foreach (ref readonly var u in units.AsSpan())
            {
                var normalised = Normalised(u, x0, x1);
                var z = Vector512.FusedMultiplyAdd(u.Gamma, normalised, u.Beta);
                var relu = Vector512.Max(z, Vector512<float>.Zero);
                a[Sum.OutWeight0] = Vector512.FusedMultiplyAdd(gy0, relu, a[Sum.OutWeight0]);
                a[Sum.OutWeight1] = Vector512.FusedMultiplyAdd(gy1, relu, a[Sum.OutWeight1]);
                var gz = HiddenGradient(u, z, gy0, gy1);
                a[Sum.Beta] += gz;
                a[Sum.Gamma] = Vector512.FusedMultiplyAdd(gz, normalised, a[Sum.Gamma]);
                a[Sum.InWeight0] = Vector512.FusedMultiplyAdd(gz, x0, a[Sum.InWeight0]);
                a[Sum.InWeight1] = Vector512.FusedMultiplyAdd(gz, x1, a[Sum.InWeight1]);
                a += Sum.PerUnit;
            }
            if (++pending == FlushVectors) { Flush(acc, totals, width); pending = 0; }
        }
        Flush(acc, totals, width);
        Total(totals, sums);
    }

    /// <summary>
    /// g_x = W₁ᵀ g_h with the BatchNorm backward g_h = k (gz − mean(gz) − ĥ·mean(gz ĥ)), k = γ/√(σ² + ε);
    /// with running statistics (evaluation mode) both means are zero.
    /// </summary>
    public void InputGradient(float* x, float* output, float* outputGrad, float* inputGrad, int batch, long voxels,
        double[] k, double[] meanGz, double[] meanGzNormalised)
    {
        var backward = new BackwardUnit[hidden];
        for (var j = 0; j < hidden; j++)
        {
            backward[j] = new BackwardUnit
            {
                K = Vector512.Create((float)k[j]),
                KMeanGz = Vector512.Create((float)(k[j] * meanGz[j])),
                KMeanGzNormalised = Vector512.Create((float)(k[j] * meanGzNormalised[j])),
            };
        }
        ForBlocks(batch, voxels, (item, start, end) =>
        {
            var offset = item * Channels * voxels;
            InputGradientBlock(x + offset, output + offset, outputGrad + offset, inputGrad + offset, backward, voxels, start, end);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InputGradientBlock(float* x, float* output, float* outputGrad, float* inputGrad, BackwardUnit[] backward, long voxels, long start, long end)
    {
        var v = start;
        for (; v + 2 * Lanes <= end; v += 2 * Lanes)
        {
            var (a0, a1) = (Vector512.Load(x + v), Vector512.Load(x + voxels + v));
            var (b0, b1) = (Vector512.Load(x + v + Lanes), Vector512.Load(x + voxels + v + Lanes));
            var (gya0, gya1) = OutputGradient(output, outputGrad, voxels, v, Lanes);
            var (gyb0, gyb1) = OutputGradient(output, outputGrad, voxels, v + Lanes, Lanes);
            var (gxa0, gxa1, gxb0, gxb1) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
            for (var j = 0; j < units.Length && j < backward.Length; j++)
            {
                ref readonly var u = ref units[j];
                ref readonly var bu = ref backward[j];
                var normalisedA = Normalised(u, a0, a1);
                var normalisedB = Normalised(u, b0, b1);
                var gzA = HiddenGradient(u, Vector512.FusedMultiplyAdd(u.Gamma, normalisedA, u.Beta), gya0, gya1);
                var gzB = HiddenGradient(u, Vector512.FusedMultiplyAdd(u.Gamma, normalisedB, u.Beta), gyb0, gyb1);
                var ghA = Vector512.FusedMultiplyAdd(bu.K, gzA, -Vector512.FusedMultiplyAdd(bu.KMeanGzNormalised, normalisedA, bu.KMeanGz));
                var ghB = Vector512.FusedMultiplyAdd(bu.K, gzB, -Vector512.FusedMultiplyAdd(bu.KMeanGzNormalised, normalisedB, bu.KMeanGz));
                gxa0 = Vector512.FusedMultiplyAdd(u.In0, ghA, gxa0);
                gxa1 = Vector512.FusedMultiplyAdd(u.In1, ghA, gxa1);
                gxb0 = Vector512.FusedMultiplyAdd(u.In0, ghB, gxb0);
                gxb1 = Vector512.FusedMultiplyAdd(u.In1, ghB, gxb1);
            }
            gxa0.Store(inputGrad + v);
            gxa1.Store(inputGrad + voxels + v);
            gxb0.Store(inputGrad + v + Lanes);
            gxb1.Store(inputGrad + voxels + v + Lanes);
        }
        for (; v < end; v += Lanes)
        {
            var lanes = (int)Math.Min(Lanes, end - v);
            var x0 = Load(x + v, lanes);
            var x1 = Load(x + voxels + v, lanes);
            var (gy0, gy1) = OutputGradient(output, outputGrad, voxels, v, lanes);
            var (gx0, gx1) = (Vector512<float>.Zero, Vector512<float>.Zero);
            for (var j = 0; j < units.Length && j < backward.Length; j++)
            {
                ref readonly var u = ref units[j];
                ref readonly var b = ref backward[j];
                var normalised = Normalised(u, x0, x1);
                var gz = HiddenGradient(u, Vector512.FusedMultiplyAdd(u.Gamma, normalised, u.Beta), gy0, gy1);
                var gh = Vector512.FusedMultiplyAdd(b.K, gz, -Vector512.FusedMultiplyAdd(b.KMeanGzNormalised, normalised, b.KMeanGz));
                gx0 = Vector512.FusedMultiplyAdd(u.In0, gh, gx0);
                gx1 = Vector512.FusedMultiplyAdd(u.In1, gh, gx1);
            }
            Store(inputGrad + v, gx0, lanes);
            Store(inputGrad + voxels + v, gx1, lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Normalised(in Unit u, Vector512<float> x0, Vector512<float> x1) =>
        Vector512.FusedMultiplyAdd(u.NormW0, x0, Vector512.FusedMultiplyAdd(u.NormW1, x1, u.NormB));

    /// <summary>gz_j = (W₂[0, j] gy₀ + W₂[1, j] gy₁) where z_j &gt; 0, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> HiddenGradient(in Unit u, Vector512<float> z, Vector512<float> gy0, Vector512<float> gy1) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), Vector512.FusedMultiplyAdd(u.Out0, gy0, u.Out1 * gy1), Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Activate(ref Vector512<float> y0, ref Vector512<float> y1)
    {
        if (activation == MappingActivation.Tanh)
        {
            y0 = VectorMath.Tanh(y0);
            y1 = VectorMath.Tanh(y1);
        }
        else if (activation == MappingActivation.Softmax)
        {
            var max = Vector512.Max(y0, y1);
            var e0 = VectorMath.Exp(y0 - max);
            var e1 = VectorMath.Exp(y1 - max);
            var total = e0 + e1;
            (y0, y1) = (e0 / total, e1 / total);
        }
    }

    /// <summary>gy = ∂L/∂y from the saved output and g_out: tanh′ = 1 − out², softmax: out ⊙ (g − ⟨out, g⟩). Missing lanes give 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (Vector512<float>, Vector512<float>) OutputGradient(float* output, float* outputGrad, long voxels, long v, int lanes)
    {
        var g0 = Load(outputGrad + v, lanes);
        var g1 = Load(outputGrad + voxels + v, lanes);
        if (activation == MappingActivation.None) return (g0, g1);
        var o0 = Load(output + v, lanes);
        var o1 = Load(output + voxels + v, lanes);
        if (activation == MappingActivation.Tanh)
            return (g0 * (Vector512<float>.One - o0 * o0), g1 * (Vector512<float>.One - o1 * o1));
        var dot = Vector512.FusedMultiplyAdd(o0, g0, o1 * g1);
        return (o0 * (g0 - dot), o1 * (g1 - dot));
    }
}
