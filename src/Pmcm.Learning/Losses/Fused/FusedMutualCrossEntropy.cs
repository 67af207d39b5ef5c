using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;
using Pmcm.Learning.Kernels;

namespace Pmcm.Learning.Losses.Fused;

/// <summary>
/// docs/method.md §3 steps 1 and 4–6 for one (student, teacher) pair in one pass over the teacher's features:
/// mask m = [u_student &gt; u_teacher]; prototype map S[c] = Q̂[c]·feat / max(|feat|, 1e-8); reliability
/// r = m · mean_c(1 − (S[c] − p_teacher[c])²); loss Σ_v CE(x, ŷ_teacher)·r / (Σ m + 1e-6), where x is the
/// student's probabilities (the reference quirk) or its logits (corrected).
/// r is detached (as in the reference), so the only gradient is the cross-entropy's, to x:
/// ∂L/∂x[c] = r · (softmax(x)[c] − [c = ŷ]) / (Σ m + 1e-6). Same values as the composition of
/// <see cref="PrototypicalMutualLearning.PrototypeMap"/>, <see cref="PrototypicalMutualLearning.ReliabilityWeight"/>
/// and <see cref="PrototypicalMutualLearning.MutualCrossEntropy"/>.
/// </summary>
internal sealed unsafe class FusedMutualCrossEntropy : torch.autograd.SingleTensorFunction<FusedMutualCrossEntropy>
{
    /// <summary>What the pair reads besides the student's input; none of it receives a gradient.</summary>
    public sealed record Pair(DecoderVoxelStatistics Student, DecoderVoxelStatistics Teacher, Tensor TeacherProbs, Tensor TeacherFeatures, float[] UnitPrototype);

    public override string Name => nameof(FusedMutualCrossEntropy);

    /// <param name="studentInput">x (B, C, X, Y, Z): the student's probabilities, or its logits; contiguous float32 CPU.</param>
    /// <param name="pair">Teacher and student statistics, the teacher's probabilities and features, and Q̂ (C × F, row-major).</param>
    public static Tensor Compute(Tensor studentInput, Pair pair) => apply(studentInput, pair);

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var pair = (Pair)vars[1];
        var (items, classes, voxels) = (pair.Teacher.Items, pair.Teacher.Classes, pair.Teacher.Voxels);
        var channels = (int)pair.TeacherFeatures.shape[1];
        var blocks = new VoxelBlocks.Blocks(items, voxels);
        var lossPartials = new double[blocks.Count];
        var maskPartials = new double[blocks.Count];
        var reliability = TensorMemory.Pinned(items * voxels);
        var x = TensorMemory.Pointer(input);
        var pTeacher = TensorMemory.Pointer(pair.TeacherProbs);
        var feat = TensorMemory.Pointer(pair.TeacherFeatures);
        var uStudent = TensorMemory.Pointer(pair.Student.Entropy);
        var uTeacher = TensorMemory.Pointer(pair.Teacher.Entropy);
        var hardTeacher = TensorMemory.Pointer(pair.Teacher.Hard);
        var r = TensorMemory.Pointer(reliability);
        var q = pair.UnitPrototype;
        VoxelBlocks.For(blocks, block =>
        {
            var b = blocks.Item(block);
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            var features = feat + (long)b * channels * voxels;
            var teacherProbs = pTeacher + (long)b * classes * voxels;
            var studentInput = x + (long)b * classes * voxels;
            var offset = (long)b * voxels;
            Span<Vector512<float>> dots = stackalloc Vector512<float>[classes];
            var lossSum = Vector512<float>.Zero;
            var maskSum = Vector512<float>.Zero;
            for (var v = start; v < end; v += VoxelBlocks.Lanes)
            {
                var n = (int)Math.Min(VoxelBlocks.Lanes, end - v);
                var valid = VoxelBlocks.Valid(n);

                // Step 4: S[c] = Q̂[c]·feat / max(|feat|, ε).
                dots.Clear();
                var squares = Vector512<float>.Zero;
                for (var f = 0; f < channels; f++)
                {
                    var value = VoxelBlocks.Load(features + f * voxels + v, n);
                    squares += value * value;
                    for (var c = 0; c < classes; c++) dots[c] += Vector512.Create(q[c * channels + f]) * value;
                }
                var norm = Vector512.Max(Vector512.Sqrt(squares), Vector512.Create((float)PrototypicalMutualLearning.CosineEpsilon));

                // Step 5: r = m · mean_c(1 − (S[c] − p_teacher[c])²), with step 1's mask m.
                var agreement = Vector512<float>.Zero;
                for (var c = 0; c < classes; c++)
                {
                    var difference = dots[c] / norm - VoxelBlocks.Load(teacherProbs + c * voxels + v, n);
                    agreement += Vector512<float>.One - difference * difference;
                }
                var mask = Vector512.GreaterThan(VoxelBlocks.Load(uStudent + offset + v, n), VoxelBlocks.Load(uTeacher + offset + v, n)) & valid;
                var weight = Vector512.ConditionalSelect(mask, agreement / Vector512.Create((float)classes), Vector512<float>.Zero);
                VoxelBlocks.Store(r + offset + v, weight, n);

                // Step 6: CE(x, ŷ) = logsumexp(x) − x[ŷ], weighted by r.
                var label = VoxelBlocks.Load(hardTeacher + offset + v, n);
                var (logSumExp, target) = LogSumExpAndTarget(studentInput, voxels, v, n, classes, label);
                lossSum += (logSumExp - target) * weight;
                maskSum += mask & Vector512<float>.One;
            }
            lossPartials[block] = Vector512.Sum(lossSum);
            maskPartials[block] = Vector512.Sum(maskSum);
        });

        var normaliser = VoxelBlocks.Sum(maskPartials) + PrototypicalMutualLearning.MaskEpsilon;
        ctx.save_for_backward([input]);
        ctx.save_data("teacher", pair.Teacher);
        ctx.save_data("reliability", reliability);
        ctx.save_data("normaliser", normaliser);
        return TensorMemory.Scalar(VoxelBlocks.Sum(lossPartials) / normaliser);
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var teacher = (DecoderVoxelStatistics)ctx.get_data("teacher");
        var reliability = (float[])ctx.get_data("reliability");
        var normaliser = (double)ctx.get_data("normaliser");
        using var scope = NewDisposeScope();
        var input = ctx.get_saved_variables()[0];
        var (items, classes, voxels) = (teacher.Items, teacher.Classes, teacher.Voxels);
        var scale = Vector512.Create((float)(grad_output.to_type(ScalarType.Float64).item<double>() / normaliser));
        var gradient = empty_like(input);
        var x = TensorMemory.Pointer(input);
        var g = TensorMemory.Pointer(gradient);
        var hardTeacher = TensorMemory.Pointer(teacher.Hard);
        var r = TensorMemory.Pointer(reliability);
        var blocks = new VoxelBlocks.Blocks(items, voxels);
        VoxelBlocks.For(blocks, block =>
        {
            var b = blocks.Item(block);
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            var studentInput = x + (long)b * classes * voxels;
            var itemGradient = g + (long)b * classes * voxels;
            var offset = (long)b * voxels;
            for (var v = start; v < end; v += VoxelBlocks.Lanes)
            {
                var n = (int)Math.Min(VoxelBlocks.Lanes, end - v);
                var label = VoxelBlocks.Load(hardTeacher + offset + v, n);
                var (logSumExp, _) = LogSumExpAndTarget(studentInput, voxels, v, n, classes, label);
                var weight = scale * VoxelBlocks.Load(r + offset + v, n);
                for (var c = 0; c < classes; c++)
                {
                    var softmax = Vector512.Exp(VoxelBlocks.Load(studentInput + c * voxels + v, n) - logSumExp);
                    var isTarget = Vector512.Equals(label, Vector512.Create((float)c)) & Vector512<float>.One;
                    VoxelBlocks.Store(itemGradient + c * voxels + v, weight * (softmax - isTarget), n);
                }
            }
        });
        return [gradient.MoveToOuterDisposeScope(), null!];
    }

    /// <summary>logsumexp_c x[c] and x[ŷ] for 16 voxels of one item (x is (C, N) from <paramref name="item"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> LogSumExp, Vector512<float> Target) LogSumExpAndTarget(float* item, long voxels, long v, int n, int classes, Vector512<float> label)
    {
        var max = VoxelBlocks.Load(item + v, n);
        for (var c = 1; c < classes; c++) max = Vector512.Max(max, VoxelBlocks.Load(item + c * voxels + v, n));
        var sum = Vector512<float>.Zero;
        var target = Vector512<float>.Zero;
        for (var c = 0; c < classes; c++)
        {
            var value = VoxelBlocks.Load(item + c * voxels + v, n);
            sum += Vector512.Exp(value - max);
            target = Vector512.ConditionalSelect(Vector512.Equals(label, Vector512.Create((float)c)), value, target);
        }
        return (max + Vector512.Log(sum), target);
    }
}
