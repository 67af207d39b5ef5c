using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Losses.Fused;

/// <summary>
/// ALGORITHM.md §3 step 2 in one pass over the teacher's features:
/// P[b, c] = Σ_v feat[b, :, v]·[ŷ[b, v] = c] / (Σ_v [ŷ[b, v] = c] + 1e-6), (B, C, F), sums in float64.
/// Backward: ∂P[b, c, f]/∂feat[b, f, v] = [ŷ[b, v] = c] / (count[b, c] + 1e-6), so each voxel's feature gradient is
/// the row of the upstream gradient for its own class, scaled; one pass.
/// Same values as <see cref="PrototypicalMutualLearning.ClassPrototypes"/>.
/// </summary>
internal sealed unsafe class FusedClassPrototypes : torch.autograd.SingleTensorFunction<FusedClassPrototypes>
{
    public override string Name => nameof(FusedClassPrototypes);

    /// <param name="features">feat (B, F, X, Y, Z), contiguous float32 on the CPU.</param>
    /// <param name="teacher">ŷ of the same decoder.</param>
    public static Tensor Compute(Tensor features, DecoderVoxelStatistics teacher) => apply(features, teacher);

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var features = (Tensor)vars[0];
        var teacher = (DecoderVoxelStatistics)vars[1];
        var (items, channels, classes, voxels) = (teacher.Items, (int)features.shape[1], teacher.Classes, teacher.Voxels);
        var blocks = new VoxelKernels.Blocks(items, voxels);
        // Per block: classes × channels feature sums, then classes counts.
        var stride = classes * (channels + 1);
        var partials = new double[blocks.Count * stride];
        var x = VoxelKernels.Pointer(features);
        var h = VoxelKernels.Pointer(teacher.Hard);
        VoxelKernels.For(blocks, block =>
        {
            var b = blocks.Item(block);
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            var hard = h + b * voxels;
            var item = x + (long)b * channels * voxels;
            var partial = partials.AsSpan(block * stride, stride);
            Span<Vector512<float>> sums = stackalloc Vector512<float>[classes];
            for (var c = 0; c < classes; c++)
            {
                var count = 0.0;
                for (var v = start; v < end; v += VoxelKernels.Width)
                {
                    var n = (int)Math.Min(VoxelKernels.Width, end - v);
                    var isClass = Vector512.Equals(VoxelKernels.Load(hard + v, n), Vector512.Create((float)c)) & VoxelKernels.Valid(n);
                    count += Vector512.Sum(isClass & Vector512<float>.One);
                }
                partial[classes * channels + c] = count;
            }
            for (var f = 0; f < channels; f++)
            {
                sums.Clear();
                var row = item + f * voxels;
                for (var v = start; v < end; v += VoxelKernels.Width)
                {
                    var n = (int)Math.Min(VoxelKernels.Width, end - v);
                    var label = VoxelKernels.Load(hard + v, n);
                    var value = VoxelKernels.Load(row + v, n);
                    for (var c = 0; c < classes; c++)
                        sums[c] += Vector512.ConditionalSelect(Vector512.Equals(label, Vector512.Create((float)c)), value, Vector512<float>.Zero);
                }
                for (var c = 0; c < classes; c++) partial[c * channels + f] = Vector512.Sum(sums[c]);
            }
        });

        var totals = new double[items * stride];
        for (var block = 0; block < blocks.Count; block++)
        {
            var b = blocks.Item(block);
            for (var k = 0; k < stride; k++) totals[b * stride + k] += partials[block * stride + k];
        }
        var prototypes = new float[items * classes * channels];
        var inverseCounts = new double[items * classes];
        for (var b = 0; b < items; b++)
        for (var c = 0; c < classes; c++)
        {
            var inverse = 1 / (totals[b * stride + classes * channels + c] + PrototypicalMutualLearning.CountEpsilon);
            inverseCounts[b * classes + c] = inverse;
            for (var f = 0; f < channels; f++)
                prototypes[(b * classes + c) * channels + f] = (float)(totals[b * stride + c * channels + f] * inverse);
        }
        ctx.save_data("teacher", teacher);
        ctx.save_data("inverseCounts", inverseCounts);
        ctx.save_data("shape", features.shape);
        return tensor(prototypes, [items, classes, channels]);
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var teacher = (DecoderVoxelStatistics)ctx.get_data("teacher");
        var inverseCounts = (double[])ctx.get_data("inverseCounts");
        var shape = (long[])ctx.get_data("shape");
        var channels = (int)shape[1];
        var (items, classes, voxels) = (teacher.Items, teacher.Classes, teacher.Voxels);
        var upstream = grad_output.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        var scaled = new float[items * classes * channels];
        for (var i = 0; i < scaled.Length; i++) scaled[i] = (float)(upstream[i] * inverseCounts[i / channels]);

        var gradient = empty(shape, dtype: ScalarType.Float32);
        var g = VoxelKernels.Pointer(gradient);
        var h = VoxelKernels.Pointer(teacher.Hard);
        var blocks = new VoxelKernels.Blocks(items, voxels);
        VoxelKernels.For(blocks, block =>
        {
            var b = blocks.Item(block);
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            var hard = h + b * voxels;
            var item = g + (long)b * channels * voxels;
            for (var v = start; v < end; v += VoxelKernels.Width)
            {
                var n = (int)Math.Min(VoxelKernels.Width, end - v);
                var label = VoxelKernels.Load(hard + v, n);
                for (var f = 0; f < channels; f++)
                {
                    var value = Vector512.Create(scaled[(b * classes) * channels + f]);
                    for (var c = 1; c < classes; c++)
                        value = Vector512.ConditionalSelect(Vector512.Equals(label, Vector512.Create((float)c)), Vector512.Create(scaled[(b * classes + c) * channels + f]), value);
                    VoxelKernels.Store(value, item + f * voxels + v, n);
                }
            }
        });
        return [gradient, null!];
    }
}
