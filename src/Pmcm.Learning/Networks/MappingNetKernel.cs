using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Pmcm.Learning.Kernels;
using static Pmcm.Learning.Kernels.VoxelBlocks;

namespace Pmcm.Learning.Networks;

/// <summary>
/// The per-voxel arithmetic of one mapping-network call (<see cref="MappingNetFunction"/>) over float32 memory laid
/// out (B, C, N), so each channel plane is contiguous and 16 voxels are one <see cref="Vector512{T}"/>.
/// With x the C input channels of a voxel and the BatchNorm statistics (μ, σ²) fixed for the call:
/// ĥ = (W₁x + b₁ − μ)/√(σ² + ε) (the normalised hidden layer), z = γ ĥ + β, a = relu(z), y = W₂a + b₂, out = act(y).
/// The 8 hidden channels are never stored: the backward passes recompute them from x. Sums as <see cref="VoxelBlocks"/>.
/// </summary>
internal sealed unsafe class MappingNetKernel
{
    private readonly int inputs, hidden;
    private readonly MappingActivation activation;
    private readonly float[] w1, b1, w2, b2, gamma, beta;
    // ĥ = normW·x + normB: W₁ and b₁ − μ scaled by 1/√(σ² + ε).
    private readonly float[] normW, normB;

    public MappingNetKernel(int inputs, int hidden, MappingActivation activation, float[] w1, float[] b1, float[] gamma, float[] beta,
        float[] w2, float[] b2, double[] mean, double[] invStd)
    {
        (this.inputs, this.hidden, this.activation) = (inputs, hidden, activation);
        (this.w1, this.b1, this.gamma, this.beta, this.w2, this.b2) = (w1, b1, gamma, beta, w2, b2);
        normW = new float[hidden * inputs];
        normB = new float[hidden];
        for (var j = 0; j < hidden; j++)
        {
            for (var i = 0; i < inputs; i++) normW[j * inputs + i] = (float)(w1[j * inputs + i] * invStd[j]);
            normB[j] = (float)((b1[j] - mean[j]) * invStd[j]);
        }
    }

    public ReadOnlySpan<float> W1 => w1;
    public ReadOnlySpan<float> B1 => b1;

    /// <summary>Sums of x_i (C values), then of x_i·x_l (C×C, row-major) over all voxels: the BatchNorm batch statistics of W₁x + b₁ follow from them.</summary>
    public static double[] Moments(float* x, int batch, int channels, long voxels)
    {
        var width = channels + channels * channels;
        return ReduceBlocks(batch, voxels, width, (item, start, end, sums) =>
        {
            Span<Vector512<float>> acc = stackalloc Vector512<float>[width];
            Span<Vector512<float>> xs = stackalloc Vector512<float>[channels];
            var pending = 0;
            for (var v = start; v < end; v += Lanes)
            {
                var lanes = (int)Math.Min(Lanes, end - v);
                for (var i = 0; i < channels; i++) xs[i] = Load(x + (item * channels + i) * voxels + v, lanes);
                for (var i = 0; i < channels; i++)
                {
                    acc[i] += xs[i];
                    for (var l = 0; l < channels; l++) acc[channels + i * channels + l] = Vector512.FusedMultiplyAdd(xs[i], xs[l], acc[channels + i * channels + l]);
                }
                if (++pending == FlushVectors) { Flush(acc, sums); pending = 0; }
            }
            Flush(acc, sums);
        });
    }

    /// <summary>out = act(W₂ relu(γ ĥ + β) + b₂) for every voxel.</summary>
    public void Forward(float* x, float* output, int batch, long voxels)
    {
        ForBlocks(batch, voxels, (item, start, end) =>
        {
            Span<Vector512<float>> xs = stackalloc Vector512<float>[inputs];
            Span<Vector512<float>> a = stackalloc Vector512<float>[hidden];
            Span<Vector512<float>> y = stackalloc Vector512<float>[inputs];
            for (var v = start; v < end; v += Lanes)
            {
                var lanes = (int)Math.Min(Lanes, end - v);
                for (var i = 0; i < inputs; i++) xs[i] = Load(x + (item * inputs + i) * voxels + v, lanes);
                for (var j = 0; j < hidden; j++) a[j] = Vector512.Max(Vector512.FusedMultiplyAdd(Vector512.Create(gamma[j]), Normalised(xs, j), Vector512.Create(beta[j])), Vector512<float>.Zero);
                Output(a, y);
                Activate(y);
                for (var o = 0; o < inputs; o++) Store(output + (item * inputs + o) * voxels + v, y[o], lanes);
            }
        });
    }

    /// <summary>Offsets of the backward sums: Σ gy_o, Σ gy_o a_j, Σ gz_j, Σ gz_j ĥ_j, Σ gz_j x_i.</summary>
    public (int B2, int W2, int Beta, int Gamma, int W1, int Width) SumLayout =>
        (0, inputs, inputs + inputs * hidden, inputs + inputs * hidden + hidden, inputs + inputs * hidden + 2 * hidden, inputs + 2 * inputs * hidden + 2 * hidden);

    /// <summary>
    /// The sums every parameter gradient is made of, from the output gradient g_out:
    /// gy = act′(y)ᵀ g_out, gz = (W₂ᵀ gy)·[z &gt; 0]; see <see cref="SumLayout"/>.
    /// </summary>
    public double[] BackwardSums(float* x, float* output, float* outputGrad, int batch, long voxels)
    {
        var layout = SumLayout;
        return ReduceBlocks(batch, voxels, layout.Width, (item, start, end, sums) =>
        {
            Span<Vector512<float>> acc = stackalloc Vector512<float>[layout.Width];
            Span<Vector512<float>> xs = stackalloc Vector512<float>[inputs];
            Span<Vector512<float>> gy = stackalloc Vector512<float>[inputs];
            Span<Vector512<float>> o = stackalloc Vector512<float>[inputs];
            var pending = 0;
            for (var v = start; v < end; v += Lanes)
            {
                var lanes = (int)Math.Min(Lanes, end - v);
                for (var i = 0; i < inputs; i++)
                {
                    var offset = (item * inputs + i) * voxels + v;
                    xs[i] = Load(x + offset, lanes);
                    o[i] = Load(output + offset, lanes);
                    gy[i] = Load(outputGrad + offset, lanes);
                }
                ActivationBackward(o, gy);
                for (var c = 0; c < inputs; c++) acc[layout.B2 + c] += gy[c];
                for (var j = 0; j < hidden; j++)
                {
                    var normalised = Normalised(xs, j);
                    var z = Vector512.FusedMultiplyAdd(Vector512.Create(gamma[j]), normalised, Vector512.Create(beta[j]));
                    var active = Vector512.GreaterThan(z, Vector512<float>.Zero);
                    var a = Vector512.Max(z, Vector512<float>.Zero);
                    var ga = Vector512<float>.Zero;
                    for (var c = 0; c < inputs; c++)
                    {
                        acc[layout.W2 + c * hidden + j] = Vector512.FusedMultiplyAdd(gy[c], a, acc[layout.W2 + c * hidden + j]);
                        ga = Vector512.FusedMultiplyAdd(Vector512.Create(w2[c * hidden + j]), gy[c], ga);
                    }
                    var gz = Vector512.ConditionalSelect(active, ga, Vector512<float>.Zero);
                    acc[layout.Beta + j] += gz;
                    acc[layout.Gamma + j] = Vector512.FusedMultiplyAdd(gz, normalised, acc[layout.Gamma + j]);
                    for (var i = 0; i < inputs; i++)
                        acc[layout.W1 + j * inputs + i] = Vector512.FusedMultiplyAdd(gz, xs[i], acc[layout.W1 + j * inputs + i]);
                }
                if (++pending == FlushVectors) { Flush(acc, sums); pending = 0; }
            }
            Flush(acc, sums);
        });
    }

    /// <summary>
    /// g_x = W₁ᵀ g_h with the BatchNorm backward g_h = k (gz − mean(gz) − ĥ·mean(gz ĥ)), k = γ/√(σ² + ε);
    /// with running statistics (evaluation mode) both means are zero.
    /// </summary>
    public void InputGradient(float* x, float* output, float* outputGrad, float* inputGrad, int batch, long voxels,
        float[] k, float[] meanGz, float[] meanGzNormalised)
    {
        ForBlocks(batch, voxels, (item, start, end) =>
        {
            Span<Vector512<float>> xs = stackalloc Vector512<float>[inputs];
            Span<Vector512<float>> gy = stackalloc Vector512<float>[inputs];
            Span<Vector512<float>> o = stackalloc Vector512<float>[inputs];
            Span<Vector512<float>> gx = stackalloc Vector512<float>[inputs];
            for (var v = start; v < end; v += Lanes)
            {
                var lanes = (int)Math.Min(Lanes, end - v);
                for (var i = 0; i < inputs; i++)
                {
                    var offset = (item * inputs + i) * voxels + v;
                    xs[i] = Load(x + offset, lanes);
                    o[i] = Load(output + offset, lanes);
                    gy[i] = Load(outputGrad + offset, lanes);
                    gx[i] = Vector512<float>.Zero;
                }
                ActivationBackward(o, gy);
                for (var j = 0; j < hidden; j++)
                {
                    var normalised = Normalised(xs, j);
                    var z = Vector512.FusedMultiplyAdd(Vector512.Create(gamma[j]), normalised, Vector512.Create(beta[j]));
                    var ga = Vector512<float>.Zero;
                    for (var c = 0; c < inputs; c++) ga = Vector512.FusedMultiplyAdd(Vector512.Create(w2[c * hidden + j]), gy[c], ga);
                    var gz = Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), ga, Vector512<float>.Zero);
                    var centred = gz - Vector512.Create(meanGz[j]) - normalised * Vector512.Create(meanGzNormalised[j]);
                    var gh = centred * Vector512.Create(k[j]);
                    for (var i = 0; i < inputs; i++) gx[i] = Vector512.FusedMultiplyAdd(Vector512.Create(w1[j * inputs + i]), gh, gx[i]);
                }
                for (var i = 0; i < inputs; i++) Store(inputGrad + (item * inputs + i) * voxels + v, gx[i], lanes);
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<float> Normalised(ReadOnlySpan<Vector512<float>> xs, int j)
    {
        var h = Vector512.Create(normB[j]);
        for (var i = 0; i < inputs; i++) h = Vector512.FusedMultiplyAdd(Vector512.Create(normW[j * inputs + i]), xs[i], h);
        return h;
    }

    private void Output(ReadOnlySpan<Vector512<float>> a, Span<Vector512<float>> y)
    {
        for (var o = 0; o < y.Length; o++)
        {
            var sum = Vector512.Create(b2[o]);
            for (var j = 0; j < hidden; j++) sum = Vector512.FusedMultiplyAdd(Vector512.Create(w2[o * hidden + j]), a[j], sum);
            y[o] = sum;
        }
    }

    private void Activate(Span<Vector512<float>> y)
    {
        switch (activation)
        {
            case MappingActivation.Tanh:
                for (var o = 0; o < y.Length; o++) y[o] = VectorMath.Tanh(y[o]);
                break;
            case MappingActivation.Softmax:
                var max = y[0];
                for (var o = 1; o < y.Length; o++) max = Vector512.Max(max, y[o]);
                var total = Vector512<float>.Zero;
                for (var o = 0; o < y.Length; o++)
                {
                    y[o] = Vector512.Exp(y[o] - max);
                    total += y[o];
                }
                for (var o = 0; o < y.Length; o++) y[o] /= total;
                break;
        }
    }

    /// <summary>Turns g_out into gy = ∂L/∂y in place, from the saved output: tanh′ = 1 − out², softmax: out ⊙ (g − ⟨out, g⟩).</summary>
    private void ActivationBackward(ReadOnlySpan<Vector512<float>> output, Span<Vector512<float>> grad)
    {
        switch (activation)
        {
            case MappingActivation.Tanh:
                for (var o = 0; o < grad.Length; o++) grad[o] *= Vector512<float>.One - output[o] * output[o];
                break;
            case MappingActivation.Softmax:
                var dot = Vector512<float>.Zero;
                for (var o = 0; o < grad.Length; o++) dot = Vector512.FusedMultiplyAdd(output[o], grad[o], dot);
                for (var o = 0; o < grad.Length; o++) grad[o] = output[o] * (grad[o] - dot);
                break;
        }
    }
}
