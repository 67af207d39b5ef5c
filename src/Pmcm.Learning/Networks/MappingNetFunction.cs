using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// One mapping-network call (Conv3d 1×1×1 → BatchNorm3d → ReLU → Conv3d 1×1×1, then the CML activation) as a
/// single autograd node whose forward and backward are the C# kernels of <see cref="MappingNetKernel"/>.
/// BatchNorm as PyTorch's: in training mode the batch statistics normalise and the running statistics move
/// by the module's momentum (unbiased variance), in evaluation mode the running statistics normalise.
/// Because W₁x + b₁ is linear in x, the batch mean and variance of each hidden channel come from the first
/// and second moments of the two input channels (float64), and so do the closed forms of the W₁ and b₁
/// gradients; the backward sums are taken in float64, which keeps b₁'s gradient — zero in exact arithmetic,
/// as a BatchNorm follows — at float64 rounding.
/// Inputs: x (B, 2, X, Y, Z) float32 on the CPU and the module's parameters (float32, CPU); output like x.
/// </summary>
internal sealed class MappingNetFunction : autograd.SingleTensorFunction<MappingNetFunction>
{
    public override string Name => nameof(MappingNetFunction);

    /// <summary>What the call needs beyond the differentiable tensors.</summary>
    public sealed record Call(BatchNorm3d Norm, MappingActivation Activation);

    private sealed record Saved(MappingNetKernel Kernel, double[]? Moments, double[] Mean, double[] InvStd, bool Training, bool InputNeedsGrad);

    /// <summary>act(M(x)) for a CPU float32 input.</summary>
    public static Tensor Apply(Tensor input, Conv3d first, BatchNorm3d norm, Conv3d last, MappingActivation activation) =>
        apply(input, first.weight!, first.bias!, norm.weight!, norm.bias!, last.weight!, last.bias!, new Call(norm, activation));

    public override unsafe Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var x = input.contiguous();
        var (w1, b1, gamma, beta, w2, b2) = ((Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4], (Tensor)vars[5], (Tensor)vars[6]);
        var call = (Call)vars[7];
        var (batch, inputs, hidden) = ((int)x.shape[0], (int)x.shape[1], (int)w1.shape[0]);
        var voxels = x.numel() / (batch * inputs);
        var w1Values = Values(w1);
        var training = call.Norm.training;

        double[] mean, variance;
        double[]? moments = null;
        fixed (byte* xBytes = x.bytes)
        {
            var xp = (float*)xBytes;
            if (training)
            {
                moments = MappingNetKernel.Moments(xp, batch, voxels);
                (mean, variance) = BatchStatistics(moments, w1Values, Values(b1), inputs, hidden, batch * voxels);
                UpdateRunningStatistics(call.Norm, mean, variance, batch * voxels);
            }
            else
            {
                mean = call.Norm.running_mean!.to_type(ScalarType.Float64).data<double>().ToArray();
                variance = call.Norm.running_var!.to_type(ScalarType.Float64).data<double>().ToArray();
            }
            var invStd = variance.Select(v => 1 / Math.Sqrt(v + call.Norm.eps)).ToArray();
            var kernel = new MappingNetKernel(call.Activation, w1Values, Values(b1), Values(gamma), Values(beta), Values(w2), Values(b2), mean, invStd);
            var output = empty_like(x);
            fixed (byte* outBytes = output.bytes) kernel.Forward(xp, (float*)outBytes, batch, voxels);

            ctx.save_for_backward([x, gamma, output]);
            ctx.save_data(nameof(Saved), new Saved(kernel, moments, mean, invStd, training, input.requires_grad));
            return output;
        }
    }

    public override unsafe List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (x, gammaTensor, output) = (saved[0], saved[1], saved[2]);
        var state = (Saved)ctx.get_data(nameof(Saved));
        var kernel = state.Kernel;
        var outputGrad = grad_output.contiguous();
        var (batch, inputs) = ((int)x.shape[0], (int)x.shape[1]);
        var hidden = state.Mean.Length;
        var voxels = x.numel() / (batch * inputs);
        double count = batch * voxels;
        var gamma = Values(gammaTensor);

        fixed (byte* xBytes = x.bytes)
        fixed (byte* outBytes = output.bytes)
        fixed (byte* gradBytes = outputGrad.bytes)
        {
            float* xp = (float*)xBytes, op = (float*)outBytes, gp = (float*)gradBytes;
            var sums = kernel.BackwardSums(xp, op, gp, batch, voxels);
            double SumOf(int j, int what) => sums[MappingNetKernel.Sum.Unit(j) + what];

            // BatchNorm backward: g_h = k (gz − mean(gz) − ĥ mean(gz ĥ)); with running statistics the means drop out.
            var k = new double[hidden];
            var meanGz = new double[hidden];
            var meanGzNormalised = new double[hidden];
            for (var j = 0; j < hidden; j++)
            {
                k[j] = gamma[j] * state.InvStd[j];
                if (!state.Training) continue;
                meanGz[j] = SumOf(j, MappingNetKernel.Sum.Beta) / count;
                meanGzNormalised[j] = SumOf(j, MappingNetKernel.Sum.Gamma) / count;
            }

            // ∂L/∂W₁[j,i] = Σ g_h_j x_i and ∂L/∂b₁[j] = Σ g_h_j, expanded into sums already taken:
            // Σ gz_j x_i, Σ x_i, and Σ ĥ_j x_i = s_j (Σ_l W₁[j,l] Σ x_l x_i + (b₁_j − μ_j) Σ x_i), s_j = 1/√(σ²_j + ε).
            // In training mode Σ ĥ_j = 0 up to float64 rounding, so b₁'s gradient is float64 noise, as it should be.
            var w1 = new double[hidden * inputs];
            var b1 = new double[hidden];
            var m = state.Moments;
            for (var j = 0; j < hidden; j++)
            {
                var gzSum = SumOf(j, MappingNetKernel.Sum.Beta);
                if (m is null)
                {
                    b1[j] = k[j] * gzSum;
                    for (var i = 0; i < inputs; i++) w1[j * inputs + i] = k[j] * SumOf(j, MappingNetKernel.Sum.InWeight0 + i);
                    continue;
                }
                var centre = kernel.B1[j] - state.Mean[j];
                var sumNormalised = centre * count;
                for (var l = 0; l < inputs; l++) sumNormalised += kernel.W1[j * inputs + l] * m[l];
                sumNormalised *= state.InvStd[j];
                b1[j] = k[j] * (gzSum - count * meanGz[j] - meanGzNormalised[j] * sumNormalised);
                for (var i = 0; i < inputs; i++)
                {
                    var normalisedTimesX = centre * m[i];
                    for (var l = 0; l < inputs; l++) normalisedTimesX += kernel.W1[j * inputs + l] * m[inputs + l * inputs + i];
                    normalisedTimesX *= state.InvStd[j];
                    w1[j * inputs + i] = k[j] * (SumOf(j, MappingNetKernel.Sum.InWeight0 + i) - meanGz[j] * m[i] - meanGzNormalised[j] * normalisedTimesX);
                }
            }

            Tensor? inputGrad = null;
            if (state.InputNeedsGrad)
            {
                inputGrad = empty_like(x);
                fixed (byte* inBytes = inputGrad.bytes)
                    kernel.InputGradient(xp, op, gp, (float*)inBytes, batch, voxels, k, meanGz, meanGzNormalised);
            }
            var w2 = new double[inputs * hidden];
            for (var o = 0; o < inputs; o++)
                for (var j = 0; j < hidden; j++) w2[o * hidden + j] = SumOf(j, MappingNetKernel.Sum.OutWeight0 + o);
            var gammaGrad = Enumerable.Range(0, hidden).Select(j => SumOf(j, MappingNetKernel.Sum.Gamma)).ToArray();
            var betaGrad = Enumerable.Range(0, hidden).Select(j => SumOf(j, MappingNetKernel.Sum.Beta)).ToArray();
            return
            [
                inputGrad!,
                Parameter(w1, [hidden, inputs, 1, 1, 1]),
                Parameter(b1, [hidden]),
                Parameter(gammaGrad, [hidden]),
                Parameter(betaGrad, [hidden]),
                Parameter(w2, [inputs, hidden, 1, 1, 1]),
                Parameter(sums.AsSpan(MappingNetKernel.Sum.OutBias, inputs).ToArray(), [inputs]),
                null!,
            ];
        }
    }

    /// <summary>Mean and biased variance of each hidden channel h_j = W₁[j]·x + b₁[j] over the batch, from the input moments.</summary>
    private static (double[] Mean, double[] Variance) BatchStatistics(double[] moments, float[] w1, float[] b1, int inputs, int hidden, double count)
    {
        var mean = new double[hidden];
        var variance = new double[hidden];
        for (var j = 0; j < hidden; j++)
        {
            double m = b1[j], v = 0;
            for (var i = 0; i < inputs; i++)
            {
                m += w1[j * inputs + i] * moments[i] / count;
                for (var l = 0; l < inputs; l++)
                {
                    var covariance = moments[inputs + i * inputs + l] / count - moments[i] / count * (moments[l] / count);
                    v += (double)w1[j * inputs + i] * w1[j * inputs + l] * covariance;
                }
            }
            mean[j] = m;
            variance[j] = Math.Max(v, 0);
        }
        return (mean, variance);
    }

    /// <summary>running ← (1 − momentum)·running + momentum·batch, the variance unbiased; num_batches_tracked + 1 (PyTorch's update).</summary>
    private static void UpdateRunningStatistics(BatchNorm3d norm, double[] mean, double[] variance, double count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        norm.num_batches_tracked?.add_(1);
        var momentum = norm.momentum ?? 1.0 / norm.num_batches_tracked!.item<long>();
        var unbiased = variance.Select(v => v * count / Math.Max(count - 1, 1)).ToArray();
        norm.running_mean!.mul_(1 - momentum).add_(tensor(mean).to_type(ScalarType.Float32), alpha: momentum);
        norm.running_var!.mul_(1 - momentum).add_(tensor(unbiased).to_type(ScalarType.Float32), alpha: momentum);
    }

    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    private static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();

    private static Tensor Parameter(double[] values, long[] shape) => tensor(ToFloat(values)).reshape(shape);
}
