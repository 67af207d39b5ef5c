using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Pmcm.Learning.Kernels;
using static Pmcm.Learning.Kernels.TensorMemory;
using static Pmcm.Learning.Kernels.VoxelBlocks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Losses;

/// <summary>
/// One decoder's four CML terms (docs/method.md §4) from the mapping networks' activated outputs, as one autograd
/// node with a C# kernel: one pass forward (float64 sums), one pass backward. With p, d the detached answers:
/// task consistency mean((ŝd − d)²) and mean(KL(p ‖ q)), q = softmax(d̂s); cycles mean(KL(p ‖ s̃)) and
/// mean((d − d̃)²), or (quirk) (mean(d − d̃))²; KL(a ‖ q) = xlogy(a, a) − a·log(q + 1e-8) as <see cref="KlDivergence"/>.
/// All six tensors have one shape (B, C, X, Y, Z), float32 on the CPU.
/// </summary>
internal sealed class CmlTermsFunction : TorchSharp.torch.autograd.MultiTensorFunction<CmlTermsFunction>
{
    private const float Epsilon = (float)KlDivergence.Epsilon;
    // Forward sums: Σ(ŝd − d)², Σ KL(p‖q), Σ KL(p‖s̃), Σ(d − d̃), Σ(d − d̃)².
    private const int Width = 5;

    public override string Name => nameof(CmlTermsFunction);

    private sealed record Saved(long Count, double MeanCycleDifference, bool SquaredMeanCycle);

    /// <summary>The terms of <see cref="CmlTerms"/> for predicted SDF ŝd, predicted segmentation q, cycled SDF d̃ and cycled segmentation s̃.</summary>
    public static CmlTerms Apply(Tensor predictedSdf, Tensor predictedSeg, Tensor cycledSdf, Tensor cycledSeg, Tensor probs, Tensor sdf, bool squaredMeanCycle)
    {
        foreach (var t in new[] { predictedSeg, cycledSdf, cycledSeg, probs, sdf })
            if (!t.shape.SequenceEqual(predictedSdf.shape))
                throw new ArgumentException($"CML terms need tensors of one shape: [{string.Join(", ", t.shape)}] against [{string.Join(", ", predictedSdf.shape)}]");
        var terms = apply(predictedSdf, predictedSeg, cycledSdf, cycledSeg, probs.detach(), sdf.detach(), squaredMeanCycle);
        return new CmlTerms(terms[0], terms[1], terms[2], terms[3]);
    }

    public override unsafe List<Tensor> forward(TorchSharp.torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var t = vars.Take(6).Select(v => ((Tensor)v).contiguous()).ToArray();
        var squaredMeanCycle = (bool)vars[6];
        var count = t[0].numel();
        double[] sums;
        fixed (byte* sdHat = t[0].bytes, q = t[1].bytes, dTilde = t[2].bytes, sTilde = t[3].bytes, p = t[4].bytes, d = t[5].bytes)
            sums = Sums((float*)sdHat, (float*)q, (float*)dTilde, (float*)sTilde, (float*)p, (float*)d, count);
        var meanCycleDifference = sums[3] / count;
        ctx.save_for_backward([.. t]);
        ctx.save_data(nameof(Saved), new Saved(count, meanCycleDifference, squaredMeanCycle));
        var cycle = squaredMeanCycle ? meanCycleDifference * meanCycleDifference : sums[4] / count;
        return [Scalar(sums[0] / count), Scalar(sums[1] / count), Scalar(sums[2] / count), Scalar(cycle)];
    }

    public override unsafe List<Tensor> backward(TorchSharp.torch.autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var t = ctx.get_saved_variables();
        var saved = (Saved)ctx.get_data(nameof(Saved));
        var g = grad_outputs.Select(o => o.item<float>() / (double)saved.Count).ToArray();
        // ∂/∂ŝd = 2 g₁ (ŝd − d)/n; ∂/∂q = −g₂ p/(q + ε)/n; ∂/∂s̃ = −g₃ p/(s̃ + ε)/n;
        // ∂/∂d̃ = −2 g₄ (d − d̃)/n, or −2 g₄ mean(d − d̃)/n for the squared mean.
        var coefficients = new Coefficients((float)(2 * g[0]), (float)g[1], (float)g[2], (float)(2 * g[3]),
            saved.SquaredMeanCycle ? (float)saved.MeanCycleDifference : float.NaN);
        var grads = t.Take(4).Select(x => empty_like(x)).ToArray();
        fixed (byte* sdHat = t[0].bytes, q = t[1].bytes, dTilde = t[2].bytes, sTilde = t[3].bytes, p = t[4].bytes, d = t[5].bytes)
        fixed (byte* gSdHat = grads[0].bytes, gQ = grads[1].bytes, gDTilde = grads[2].bytes, gSTilde = grads[3].bytes)
            Gradients((float*)sdHat, (float*)q, (float*)dTilde, (float*)sTilde, (float*)p, (float*)d,
                (float*)gSdHat, (float*)gQ, (float*)gDTilde, (float*)gSTilde, saved.Count, coefficients);
        return [grads[0], grads[1], grads[2], grads[3], null!, null!, null!];
    }

    private static unsafe double[] Sums(float* sdHat, float* q, float* dTilde, float* sTilde, float* p, float* d, long count) =>
        ReduceBlocks(1, count, Width, (_, start, end, sums) => SumsBlock(sdHat, q, dTilde, sTilde, p, d, start, end, sums));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SumsBlock(float* sdHat, float* q, float* dTilde, float* sTilde, float* p, float* d, long start, long end, Span<double> sums)
    {
        var acc = stackalloc Vector512<float>[Width];
        var totals = stackalloc Vector512<double>[Width];
        for (var k = 0; k < Width; k++) (acc[k], totals[k]) = (default, default);
        var epsilon = Vector512.Create(Epsilon);
        var pending = 0;
        for (var v = start; v < end; v += Lanes)
        {
            var lanes = (int)Math.Min(Lanes, end - v);
            var pv = Load(p + v, lanes);
            var dv = Load(d + v, lanes);
            // Missing lanes read p = 0 and d = 0, so every term below is 0 there.
            var pLogP = Vector512.ConditionalSelect(Vector512.GreaterThan(pv, Vector512<float>.Zero), pv * VectorMath.Log(pv), Vector512<float>.Zero);
            var taskSdf = Load(sdHat + v, lanes) - dv;
            var cycleSdf = dv - Load(dTilde + v, lanes);
            acc[0] = Vector512.FusedMultiplyAdd(taskSdf, taskSdf, acc[0]);
            acc[1] += pLogP - pv * VectorMath.Log(Load(q + v, lanes) + epsilon);
            acc[2] += pLogP - pv * VectorMath.Log(Load(sTilde + v, lanes) + epsilon);
            acc[3] += cycleSdf;
            acc[4] = Vector512.FusedMultiplyAdd(cycleSdf, cycleSdf, acc[4]);
            if (++pending == FlushVectors) { Flush(acc, totals, Width); pending = 0; }
        }
        Flush(acc, totals, Width);
        Total(totals, sums);
    }

    /// <summary>Output-gradient factors of the backward pass; <see cref="MeanCycleDifference"/> is NaN unless the cycle squares the mean.</summary>
    private readonly record struct Coefficients(float TaskSdf, float TaskSeg, float CycleSeg, float CycleSdf, float MeanCycleDifference);

    private static unsafe void Gradients(float* sdHat, float* q, float* dTilde, float* sTilde, float* p, float* d,
        float* gSdHat, float* gQ, float* gDTilde, float* gSTilde, long count, Coefficients c) =>
        ForBlocks(1, count, (_, start, end) => GradientsBlock(sdHat, q, dTilde, sTilde, p, d, gSdHat, gQ, gDTilde, gSTilde, c, start, end));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void GradientsBlock(float* sdHat, float* q, float* dTilde, float* sTilde, float* p, float* d,
        float* gSdHat, float* gQ, float* gDTilde, float* gSTilde, Coefficients c, long start, long end)
    {
        var squaredMean = !float.IsNaN(c.MeanCycleDifference);
        var epsilon = Vector512.Create(Epsilon);
        var (taskSdf, taskSeg, cycleSeg, cycleSdf) = (Vector512.Create(c.TaskSdf), Vector512.Create(-c.TaskSeg), Vector512.Create(-c.CycleSeg), Vector512.Create(-c.CycleSdf));
        var meanDifference = Vector512.Create(c.MeanCycleDifference);
        for (var v = start; v < end; v += Lanes)
        {
            var lanes = (int)Math.Min(Lanes, end - v);
            var pv = Load(p + v, lanes);
            var dv = Load(d + v, lanes);
            Store(gSdHat + v, taskSdf * (Load(sdHat + v, lanes) - dv), lanes);
            Store(gQ + v, taskSeg * pv / (Load(q + v, lanes) + epsilon), lanes);
            Store(gSTilde + v, cycleSeg * pv / (Load(sTilde + v, lanes) + epsilon), lanes);
            var difference = squaredMean ? meanDifference : dv - Load(dTilde + v, lanes);
            Store(gDTilde + v, cycleSdf * difference, lanes);
        }
    }
}
