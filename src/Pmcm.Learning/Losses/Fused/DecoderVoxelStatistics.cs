using System.Runtime.Intrinsics;
using static TorchSharp.torch;
using Pmcm.Learning.Kernels;

namespace Pmcm.Learning.Losses.Fused;

/// <summary>
/// One decoder's per-voxel quantities that PML needs in both of its pairs (docs/method.md §3): the entropy
/// u = −Σ_c p log(p + 1e-6) (step 1) and the hard prediction ŷ = argmax_c p (step 2, first maximum on ties,
/// as libtorch), stored as a float class index. Both are (B, N) and carry no gradient.
/// </summary>
internal sealed unsafe class DecoderVoxelStatistics
{
    public required int Items { get; init; }
    public required long Voxels { get; init; }
    public required int Classes { get; init; }
    public required float[] Entropy { get; init; }
    public required float[] Hard { get; init; }

    /// <param name="probs">p (B, C, X, Y, Z), contiguous float32 on the CPU.</param>
    public static DecoderVoxelStatistics Of(Tensor probs)
    {
        var (items, classes) = ((int)probs.shape[0], (int)probs.shape[1]);
        var voxels = probs.numel() / (items * classes);
        var entropy = TensorMemory.Pinned(items * voxels);
        var hard = TensorMemory.Pinned(items * voxels);
        var p = TensorMemory.Pointer(probs);
        var u = TensorMemory.Pointer(entropy);
        var h = TensorMemory.Pointer(hard);
        var blocks = new VoxelBlocks.Blocks(items, voxels);
        var epsilon = Vector512.Create((float)PrototypicalMutualLearning.EntropyEpsilon);
        VoxelBlocks.For(blocks, block =>
        {
            var b = blocks.Item(block);
            var start = blocks.Start(block);
            var end = start + blocks.Length(block);
            var item = p + (long)b * classes * voxels;
            for (var v = start; v < end; v += VoxelBlocks.Lanes)
            {
                var n = (int)Math.Min(VoxelBlocks.Lanes, end - v);
                var sum = Vector512<float>.Zero;
                var best = Vector512<float>.Zero;
                var bestClass = Vector512<float>.Zero;
                for (var c = 0; c < classes; c++)
                {
                    var pc = VoxelBlocks.Load(item + c * voxels + v, n);
                    sum += pc * Vector512.Log(pc + epsilon);
                    if (c == 0)
                    {
                        best = pc;
                        continue;
                    }
                    var greater = Vector512.GreaterThan(pc, best);
                    best = Vector512.ConditionalSelect(greater, pc, best);
                    bestClass = Vector512.ConditionalSelect(greater, Vector512.Create((float)c), bestClass);
                }
                VoxelBlocks.Store(u + b * voxels + v, -sum, n);
                VoxelBlocks.Store(h + b * voxels + v, bestClass, n);
            }
        });
        return new DecoderVoxelStatistics { Items = items, Voxels = voxels, Classes = classes, Entropy = entropy, Hard = hard };
    }
}
