using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pmcm.Learning.Kernels;

/// <summary>
/// How the fused kernels walk float32 memory laid out (B, C, N): blocks of voxels of one batch item, handed to
/// <see cref="Parallel.For(long, long, ParallelOptions, Action{long})"/>, 16 voxels (one <see cref="Vector512{T}"/>) at a time.
/// Sums are taken per lane in float32 over 16 vectors and then in float64, block by block, and the blocks are
/// added in a fixed order, so a result does not depend on the thread count.
/// </summary>
internal static unsafe class VoxelBlocks
{
    public const int Lanes = 16;
    public const int BlockVoxels = 4096;
    public const int FlushVectors = 16;

    public delegate void BlockReduction(long item, long start, long end, Span<double> sums);

    /// <summary>Runs <paramref name="body"/> on every block of voxels and adds the per-block sums in block order.</summary>
    public static double[] ReduceBlocks(int batch, long voxels, int width, BlockReduction body)
    {
        var perItem = (voxels + BlockVoxels - 1) / BlockVoxels;
        var partial = new double[batch * perItem * width];
        Parallel.For(0, batch * perItem, Parallelism(), block =>
        {
            var start = block % perItem * BlockVoxels;
            body(block / perItem, start, Math.Min(voxels, start + BlockVoxels), partial.AsSpan((int)(block * width), width));
        });
        var sums = new double[width];
        for (var block = 0; block < batch * perItem; block++)
            for (var k = 0; k < width; k++) sums[k] += partial[block * width + k];
        return sums;
    }

    public static void ForBlocks(int batch, long voxels, Action<long, long, long> body)
    {
        var perItem = (voxels + BlockVoxels - 1) / BlockVoxels;
        Parallel.For(0, batch * perItem, Parallelism(), block =>
        {
            var start = block % perItem * BlockVoxels;
            body(block / perItem, start, Math.Min(voxels, start + BlockVoxels));
        });
    }

    // As many workers as libtorch is allowed (--threads), so the fused kernels keep to the same budget.
    public static ParallelOptions Parallelism() => new() { MaxDegreeOfParallelism = Math.Max(1, TorchSharp.torch.get_num_threads()) };

    /// <summary>Adds float32 lane accumulators into float64 lane totals and clears them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Flush(Vector512<float>* acc, Vector512<double>* totals, int width)
    {
        for (var k = 0; k < width; k++)
        {
            var (lower, upper) = Vector512.Widen(acc[k]);
            totals[k] += lower + upper;
            acc[k] = Vector512<float>.Zero;
        }
    }

    /// <summary>The float64 lane totals summed into one block's sums.</summary>
    public static void Total(Vector512<double>* totals, Span<double> sums)
    {
        for (var k = 0; k < sums.Length; k++) sums[k] = Vector512.Sum(totals[k]);
    }

    // The last vector of a plane may be partial: missing lanes read as 0, which adds nothing to any sum above.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source, int lanes) => lanes == Lanes ? Vector512.Load(source) : LoadPartial(source, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value, int lanes)
    {
        if (lanes == Lanes) value.Store(destination);
        else for (var lane = 0; lane < lanes; lane++) destination[lane] = value[lane];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector512<float> LoadPartial(float* source, int lanes)
    {
        var buffer = stackalloc float[Lanes];
        for (var lane = 0; lane < Lanes; lane++) buffer[lane] = lane < lanes ? source[lane] : 0f;
        return Vector512.Load(buffer);
    }
}
