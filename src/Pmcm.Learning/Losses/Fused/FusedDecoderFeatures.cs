using System.Runtime.Intrinsics;
using Pmcm.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;
using Pmcm.Learning.Kernels;

namespace Pmcm.Learning.Losses.Fused;

/// <summary>
/// Everything the loss reads from both decoders' feature maps before the fused prototype exists, in one pass
/// over them, so each feature map is read once forward and its gradient written once backward:
/// <list type="bullet">
/// <item>the per-sample class prototypes of each decoder (docs/method.md §3 step 2, from its own hard prediction):
/// P_k[b, c] = Σ_v feat_k[b, :, v]·[ŷ_k[b, v] = c] / (Σ_v [ŷ_k[b, v] = c] + 1e-6), (B, C, F);</item>
/// <item>the mean cosine of the two decoders' features (§5's diversity term and the logged sim2map):
/// mean_v cos(feat_1, feat_2), cos = x·y / sqrt(max(|x|²|y|², ε²)).</item>
/// </list>
/// Sums are float64 across blocks. Backward: ∂P_k[b, c, f]/∂feat_k[b, f, v] = [ŷ_k = c] / (count_k[b, c] + 1e-6);
/// with D = sqrt(|x|²|y|²) above ε, ∂cos/∂x = y/D − cos·x/|x|² (symmetrically for y), and ∂cos/∂x = y/ε below.
/// Same values as <see cref="PrototypicalMutualLearning.ClassPrototypes"/> and <see cref="FeatureDiversity.Cosine"/>.
/// </summary>
public sealed unsafe class FusedDecoderFeatures : torch.autograd.MultiTensorFunction<FusedDecoderFeatures>
{
    /// <summary>The pass's outputs: the mean cosine (scalar) and each decoder's prototypes, all differentiable.</summary>
    public sealed class Result
    {
        internal Result(Tensor meanCosine, Tensor[] prototypes, DecoderVoxelStatistics[] statistics) =>
            (MeanCosine, Prototypes, Statistics) = (meanCosine, prototypes, statistics);

        /// <summary>mean_v cos(feat_1, feat_2), a scalar.</summary>
        public Tensor MeanCosine { get; }
        /// <summary>P_1 and P_2, each (B, C, F).</summary>
        public Tensor[] Prototypes { get; }
        internal DecoderVoxelStatistics[] Statistics { get; }
    }

    public override string Name => nameof(FusedDecoderFeatures);

    /// <summary>True when the fused kernels can read these tensors (float32 on the CPU).</summary>
    public static bool Supports(DecoderOutput[] decoders, Tensor[] probs) =>
        TensorMemory.Supports([.. probs, .. decoders.Select(d => d.Seg), .. decoders.Select(d => d.Features)]);

    /// <param name="decoders">Both decoders' outputs; their features are (B, F, X, Y, Z).</param>
    /// <param name="probs">p_k = softmax(seg_k), (B, C, X, Y, Z): entropies and hard predictions come from them.</param>
    public static Result Compute(DecoderOutput[] decoders, Tensor[] probs)
    {
        var statistics = probs.Select(p => DecoderVoxelStatistics.Of(p.contiguous())).ToArray();
        var outputs = apply(decoders[0].Features.contiguous(), decoders[1].Features.contiguous(), statistics);
        return new Result(outputs[0], [outputs[1], outputs[2]], statistics);
    }

    public override List<Tensor> forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var (first, second) = ((Tensor)vars[0], (Tensor)vars[1]);
        var statistics = (DecoderVoxelStatistics[])vars[2];
        var (items, channels, classes, voxels) = (statistics[0].Items, (int)first.shape[1], statistics[0].Classes, statistics[0].Voxels);
        var blocks = new VoxelBlocks.Blocks(items, voxels);
        // Per block and decoder: classes × channels feature sums, then the class counts; then the block's cosine sum.
        var perDecoder = classes * (channels + 1);
        var stride = 2 * perDecoder + 1;
        var partials = new double[blocks.Count * stride];
        var x = TensorMemory.Pointer(first);
        var y = TensorMemory.Pointer(second);
        var hard1 = TensorMemory.Pointer(statistics[0].Hard);
        var hard2 = TensorMemory.Pointer(statistics[1].Hard);
        VoxelBlocks.For(blocks, block =>
        {
            var b = blocks.Item(block);
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            var offset = (long)b * channels * voxels;
            var rowX = x + offset;
            var rowY = y + offset;
            var label1 = hard1 + b * voxels;
            var label2 = hard2 + b * voxels;
            Span<Vector512<float>> sums = stackalloc Vector512<float>[2 * classes * channels];
            Span<Vector512<float>> counts = stackalloc Vector512<float>[2 * classes];
            sums.Clear();
            counts.Clear();
            var cosines = Vector512<float>.Zero;
            for (var v = start; v < end; v += VoxelBlocks.Lanes)
            {
                var n = (int)Math.Min(VoxelBlocks.Lanes, end - v);
                var valid = VoxelBlocks.Valid(n);
                var h1 = VoxelBlocks.Load(label1 + v, n);
                var h2 = VoxelBlocks.Load(label2 + v, n);
                var (dot, squaresX, squaresY) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
                for (var f = 0; f < channels; f++)
                {
                    var vx = VoxelBlocks.Load(rowX + f * voxels + v, n);
                    var vy = VoxelBlocks.Load(rowY + f * voxels + v, n);
                    dot += vx * vy;
                    squaresX += vx * vx;
                    squaresY += vy * vy;
                    for (var c = 0; c < classes; c++)
                    {
                        var label = Vector512.Create((float)c);
                        sums[c * channels + f] += Vector512.ConditionalSelect(Vector512.Equals(h1, label), vx, Vector512<float>.Zero);
                        sums[(classes + c) * channels + f] += Vector512.ConditionalSelect(Vector512.Equals(h2, label), vy, Vector512<float>.Zero);
                    }
                }
                for (var c = 0; c < classes; c++)
                {
                    var label = Vector512.Create((float)c);
                    counts[c] += Vector512.Equals(h1, label) & valid & Vector512<float>.One;
                    counts[classes + c] += Vector512.Equals(h2, label) & valid & Vector512<float>.One;
                }
                cosines += dot * InverseDenominator(squaresX, squaresY) & valid;
            }
            var partial = partials.AsSpan(block * stride, stride);
            for (var k = 0; k < 2; k++)
            {
                for (var i = 0; i < classes * channels; i++) partial[k * perDecoder + i] = Vector512.Sum(sums[k * classes * channels + i]);
                for (var c = 0; c < classes; c++) partial[k * perDecoder + classes * channels + c] = Vector512.Sum(counts[k * classes + c]);
            }
            partial[stride - 1] = Vector512.Sum(cosines);
        });

        var totals = new double[items * stride];
        for (var block = 0; block < blocks.Count; block++)
        {
            var b = blocks.Item(block);
            for (var k = 0; k < stride; k++) totals[b * stride + k] += partials[block * stride + k];
        }
        var cosineSum = 0.0;
        for (var b = 0; b < items; b++) cosineSum += totals[b * stride + stride - 1];
        var prototypes = new[] { new float[items * classes * channels], new float[items * classes * channels] };
        var inverseCounts = new[] { new double[items * classes], new double[items * classes] };
        for (var k = 0; k < 2; k++)
        for (var b = 0; b < items; b++)
        for (var c = 0; c < classes; c++)
        {
            var totalsOf = totals.AsSpan(b * stride + k * perDecoder, perDecoder);
            var inverse = 1 / (totalsOf[classes * channels + c] + PrototypicalMutualLearning.CountEpsilon);
            inverseCounts[k][b * classes + c] = inverse;
            for (var f = 0; f < channels; f++) prototypes[k][(b * classes + c) * channels + f] = (float)(totalsOf[c * channels + f] * inverse);
        }
        ctx.save_for_backward([first, second]);
        ctx.save_data("statistics", statistics);
        ctx.save_data("inverseCounts", inverseCounts);
        long[] shape = [items, classes, channels];
        return [TensorMemory.Scalar(cosineSum / (items * voxels)), tensor(prototypes[0], shape), tensor(prototypes[1], shape)];
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var statistics = (DecoderVoxelStatistics[])ctx.get_data("statistics");
        var inverseCounts = (double[][])ctx.get_data("inverseCounts");
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (first, second) = (saved[0], saved[1]);
        var (items, channels, classes, voxels) = (statistics[0].Items, (int)first.shape[1], statistics[0].Classes, statistics[0].Voxels);
        var scale = Vector512.Create((float)(grad_outputs[0].to_type(ScalarType.Float64).item<double>() / (items * voxels)));
        // ∂L/∂feat_k at a voxel of class c is the upstream prototype gradient's row c over (count + 1e-6).
        var rows = new float[2][];
        for (var k = 0; k < 2; k++)
        {
            var upstream = grad_outputs[k + 1].to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
            rows[k] = new float[upstream.Length];
            for (var i = 0; i < upstream.Length; i++) rows[k][i] = (float)(upstream[i] * inverseCounts[k][i / channels]);
        }

        var gradX = empty_like(first);
        var gradY = empty_like(second);
        var x = TensorMemory.Pointer(first);
        var y = TensorMemory.Pointer(second);
        var gx = TensorMemory.Pointer(gradX);
        var gy = TensorMemory.Pointer(gradY);
        var hard1 = TensorMemory.Pointer(statistics[0].Hard);
        var hard2 = TensorMemory.Pointer(statistics[1].Hard);
        var epsilonSquared = Vector512.Create((float)(FeatureDiversity.CosineEpsilon * FeatureDiversity.CosineEpsilon));
        var blocks = new VoxelBlocks.Blocks(items, voxels);
        VoxelBlocks.For(blocks, block =>
        {
            var b = blocks.Item(block);
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            var offset = (long)b * channels * voxels;
            var rows1 = rows[0].AsSpan(b * classes * channels);
            var rows2 = rows[1].AsSpan(b * classes * channels);
            for (var v = start; v < end; v += VoxelBlocks.Lanes)
            {
                var n = (int)Math.Min(VoxelBlocks.Lanes, end - v);
                var h1 = VoxelBlocks.Load(hard1 + b * voxels + v, n);
                var h2 = VoxelBlocks.Load(hard2 + b * voxels + v, n);
                var (dot, squaresX, squaresY) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
                for (var f = 0; f < channels; f++)
                {
                    var vx = VoxelBlocks.Load(x + offset + f * voxels + v, n);
                    var vy = VoxelBlocks.Load(y + offset + f * voxels + v, n);
                    dot += vx * vy;
                    squaresX += vx * vx;
                    squaresY += vy * vy;
                }
                var inverseDenominator = InverseDenominator(squaresX, squaresY);
                var cosine = dot * inverseDenominator;
                var aboveEpsilon = Vector512.GreaterThan(squaresX * squaresY, epsilonSquared);
                var across = scale * inverseDenominator;
                var selfX = Vector512.ConditionalSelect(aboveEpsilon, scale * cosine / squaresX, Vector512<float>.Zero);
                var selfY = Vector512.ConditionalSelect(aboveEpsilon, scale * cosine / squaresY, Vector512<float>.Zero);
                for (var f = 0; f < channels; f++)
                {
                    var vx = VoxelBlocks.Load(x + offset + f * voxels + v, n);
                    var vy = VoxelBlocks.Load(y + offset + f * voxels + v, n);
                    var (prototype1, prototype2) = (Vector512.Create(rows1[f]), Vector512.Create(rows2[f]));
                    for (var c = 1; c < classes; c++)
                    {
                        var label = Vector512.Create((float)c);
                        prototype1 = Vector512.ConditionalSelect(Vector512.Equals(h1, label), Vector512.Create(rows1[c * channels + f]), prototype1);
                        prototype2 = Vector512.ConditionalSelect(Vector512.Equals(h2, label), Vector512.Create(rows2[c * channels + f]), prototype2);
                    }
                    VoxelBlocks.Store(gx + offset + f * voxels + v, across * vy - selfX * vx + prototype1, n);
                    VoxelBlocks.Store(gy + offset + f * voxels + v, across * vx - selfY * vy + prototype2, n);
                }
            }
        });
        return [gradX.MoveToOuterDisposeScope(), gradY.MoveToOuterDisposeScope(), null!];
    }

    private static Vector512<float> InverseDenominator(Vector512<float> squaresX, Vector512<float> squaresY) =>
        Vector512<float>.One / Vector512.Sqrt(Vector512.Max(squaresX * squaresY,
            Vector512.Create((float)(FeatureDiversity.CosineEpsilon * FeatureDiversity.CosineEpsilon))));
}
