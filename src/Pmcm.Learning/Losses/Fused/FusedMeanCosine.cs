using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Losses.Fused;

/// <summary>
/// mean_v cos(x[:, v], y[:, v]) along the channel axis, cos = x·y / sqrt(max(|x|²|y|², ε²)) (ALGORITHM.md §5, the
/// feature diversity term's cosine; <see cref="FeatureDiversity.Cosine"/>), in one pass, sums in float64.
/// Backward, one pass: with D = sqrt(|x|²|y|²) above ε, ∂cos/∂x = y/D − cos·x/|x|² (and symmetrically for y);
/// below ε the denominator is the constant ε and ∂cos/∂x = y/ε.
/// </summary>
public sealed unsafe class FusedMeanCosine : torch.autograd.SingleTensorFunction<FusedMeanCosine>
{
    public override string Name => nameof(FusedMeanCosine);

    /// <param name="x">(B, F, X, Y, Z), contiguous float32 on the CPU.</param>
    /// <param name="y">same shape as <paramref name="x"/>.</param>
    public static Tensor Compute(Tensor x, Tensor y) => apply(x, y);

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var (first, second) = ((Tensor)vars[0], (Tensor)vars[1]);
        var (items, channels) = ((int)first.shape[0], (int)first.shape[1]);
        var voxels = first.numel() / (items * channels);
        var blocks = new VoxelKernels.Blocks(items, voxels);
        var partials = new double[blocks.Count];
        var x = VoxelKernels.Pointer(first);
        var y = VoxelKernels.Pointer(second);
        VoxelKernels.For(blocks, block =>
        {
            var offset = (long)blocks.Item(block) * channels * voxels;
            var rowX = x + offset;
            var rowY = y + offset;
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            var sum = Vector512<float>.Zero;
            for (var v = start; v < end; v += VoxelKernels.Width)
            {
                var n = (int)Math.Min(VoxelKernels.Width, end - v);
                var (cosine, _, _, _) = CosineAt(rowX, rowY, channels, voxels, v, n);
                sum += cosine & VoxelKernels.Valid(n);
            }
            partials[block] = Vector512.Sum(sum);
        });
        ctx.save_for_backward([first, second]);
        return VoxelKernels.Scalar(VoxelKernels.Sum(partials) / (items * voxels));
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (first, second) = (saved[0], saved[1]);
        var (items, channels) = ((int)first.shape[0], (int)first.shape[1]);
        var voxels = first.numel() / (items * channels);
        var scale = Vector512.Create((float)(grad_output.to_type(ScalarType.Float64).item<double>() / (items * voxels)));
        var (gradX, gradY) = (empty_like(first), empty_like(second));
        var x = VoxelKernels.Pointer(first);
        var y = VoxelKernels.Pointer(second);
        var gx = VoxelKernels.Pointer(gradX);
        var gy = VoxelKernels.Pointer(gradY);
        var blocks = new VoxelKernels.Blocks(items, voxels);
        VoxelKernels.For(blocks, block =>
        {
            var offset = (long)blocks.Item(block) * channels * voxels;
            var rowX = x + offset;
            var rowY = y + offset;
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            for (var v = start; v < end; v += VoxelKernels.Width)
            {
                var n = (int)Math.Min(VoxelKernels.Width, end - v);
                var (cosine, inverseDenominator, squaresX, squaresY) = CosineAt(rowX, rowY, channels, voxels, v, n);
                var aboveEpsilon = Vector512.GreaterThan(squaresX * squaresY, Vector512.Create((float)(FeatureDiversity.CosineEpsilon * FeatureDiversity.CosineEpsilon)));
                var across = scale * inverseDenominator;
                var selfX = Vector512.ConditionalSelect(aboveEpsilon, scale * cosine / squaresX, Vector512<float>.Zero);
                var selfY = Vector512.ConditionalSelect(aboveEpsilon, scale * cosine / squaresY, Vector512<float>.Zero);
                for (var f = 0; f < channels; f++)
                {
                    var vx = VoxelKernels.Load(rowX + f * voxels + v, n);
                    var vy = VoxelKernels.Load(rowY + f * voxels + v, n);
                    VoxelKernels.Store(across * vy - selfX * vx, gx + offset + f * voxels + v, n);
                    VoxelKernels.Store(across * vx - selfY * vy, gy + offset + f * voxels + v, n);
                }
            }
        });
        return [gradX.MoveToOuterDisposeScope(), gradY.MoveToOuterDisposeScope()];
    }

    /// <summary>cos, 1/D and the two squared norms at 16 voxels.</summary>
    private static (Vector512<float> Cosine, Vector512<float> InverseDenominator, Vector512<float> SquaresX, Vector512<float> SquaresY) CosineAt(
        float* x, float* y, int channels, long voxels, long v, int n)
    {
        var (dot, squaresX, squaresY) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        for (var f = 0; f < channels; f++)
        {
            var vx = VoxelKernels.Load(x + f * voxels + v, n);
            var vy = VoxelKernels.Load(y + f * voxels + v, n);
            dot += vx * vy;
            squaresX += vx * vx;
            squaresY += vy * vy;
        }
        var epsilonSquared = Vector512.Create((float)(FeatureDiversity.CosineEpsilon * FeatureDiversity.CosineEpsilon));
        var inverseDenominator = Vector512<float>.One / Vector512.Sqrt(Vector512.Max(squaresX * squaresY, epsilonSquared));
        return (dot * inverseDenominator, inverseDenominator, squaresX, squaresY);
    }
}
