using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pmcm.Learning.Kernels;

/// <summary>
/// How the fused kernels walk float32 memory laid out (B, C, N): fixed blocks of voxels of one batch item, run on
/// at most libtorch's thread count (--threads), 16 voxels (one <see cref="Vector512{T}"/>) at a time. Per-block
/// results are combined in block order, so a result does not depend on the thread count. Sums are taken per lane
/// in float32 over <see cref="FlushVectors"/> vectors and then in float64. A block's last vector may be partial:
/// its missing lanes load as 0, and <see cref="Valid"/> masks them out of sums where 0 would not vanish.
/// </summary>
internal static unsafe class VoxelBlocks
{
    public const int Lanes = 16;
    /// <summary>Voxels per block: small enough to spread over threads, large enough that float lane sums within a block stay short.</summary>
    public const int BlockVoxels = 4096;
    public const int FlushVectors = 16;

    /// <summary>The blocks of <c>Items</c> rows of <c>Voxels</c> voxels each, numbered item by item.</summary>
    public readonly record struct Blocks(int Items, long Voxels)
    {
        public int PerItem => (int)((Voxels + BlockVoxels - 1) / BlockVoxels);
        public int Count => Items * PerItem;
        public int Item(int block) => block / PerItem;
        public long Start(int block) => (long)(block % PerItem) * BlockVoxels;
        public int Length(int block) => (int)Math.Min(BlockVoxels, Voxels - Start(block));
    }

    /// <summary>Runs <paramref name="body"/> on every block, on at most libtorch's thread count (in order on one).</summary>
    public static void For(Blocks blocks, Action<int> body)
    {
        var threads = Math.Max(1, TorchSharp.torch.get_num_threads());
        if (threads == 1 || blocks.Count == 1)
        {
            for (var i = 0; i < blocks.Count; i++) body(i);
            return;
        }
        Parallel.For(0, blocks.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>Runs <paramref name="body"/>(item, start, end) on every block of voxels.</summary>
    public static void ForBlocks(int batch, long voxels, Action<long, long, long> body)
    {
        var blocks = new Blocks(batch, voxels);
        For(blocks, block =>
        {
            var start = blocks.Start(block);
            body(blocks.Item(block), start, start + blocks.Length(block));
        });
    }

    public delegate void BlockReduction(long item, long start, long end, Span<double> sums);

    /// <summary>Runs <paramref name="body"/> on every block of voxels and adds the per-block sums in block order.</summary>
    public static double[] ReduceBlocks(int batch, long voxels, int width, BlockReduction body)
    {
        var blocks = new Blocks(batch, voxels);
        var partial = new double[blocks.Count * width];
        For(blocks, block =>
        {
            var start = blocks.Start(block);
            body(blocks.Item(block), start, start + blocks.Length(block), partial.AsSpan(block * width, width));
        });
        var sums = new double[width];
        for (var block = 0; block < blocks.Count; block++)
            for (var k = 0; k < width; k++) sums[k] += partial[block * width + k];
        return sums;
    }

    /// <summary>Sum of per-block partials in block order.</summary>
    public static double Sum(double[] partials)
    {
        var sum = 0.0;
        foreach (var p in partials) sum += p;
        return sum;
    }

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

    /// <summary>The next <paramref name="lanes"/> floats, missing lanes 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source, int lanes) => lanes == Lanes ? Vector512.Load(source) : LoadPartial(source, lanes);

    /// <summary>Writes the first <paramref name="lanes"/> lanes of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value, int lanes)
    {
        if (lanes == Lanes) value.Store(destination);
        else StorePartial(destination, value, lanes);
    }

    /// <summary>All-ones lanes for the first <paramref name="lanes"/> voxels of a vector, zero lanes after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Valid(int lanes) =>
        lanes == Lanes ? Vector512<float>.AllBitsSet : Vector512.LessThan(Vector512<float>.Indices, Vector512.Create((float)lanes));

    // The partial vectors live out of line: a stackalloc would keep the hot path from being inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<float> LoadPartial(float* source, int lanes)
    {
        var buffer = stackalloc float[Lanes];
        new Span<float>(buffer, Lanes).Clear();
        new ReadOnlySpan<float>(source, lanes).CopyTo(new Span<float>(buffer, Lanes));
        return Vector512.Load(buffer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePartial(float* destination, Vector512<float> value, int lanes)
    {
        var buffer = stackalloc float[Lanes];
        value.Store(buffer);
        new ReadOnlySpan<float>(buffer, lanes).CopyTo(new Span<float>(destination, lanes));
    }
}
