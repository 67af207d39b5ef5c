using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Losses.Fused;

/// <summary>
/// What the fused loss kernels share: access to a CPU float32 tensor's memory, and a parallel loop over fixed
/// blocks of voxels whose partial sums are combined in block order, so results do not depend on the thread count.
/// Voxels are processed 16 at a time (<see cref="Vector512{T}"/>); a block's last, partial vector is read through
/// a zero-padded copy and its padding lanes are excluded from every sum by <see cref="Valid"/>.
/// </summary>
internal static unsafe class VoxelKernels
{
    public const int Width = 16;
    /// <summary>Voxels per block: small enough to spread over threads, large enough that float lane sums within a block stay short.</summary>
    public const int BlockSize = 4096;

    /// <summary>True when every tensor is a float32 CPU tensor, the only kind the fused kernels read.</summary>
    public static bool Supports(params Tensor[] tensors) =>
        tensors.All(t => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32);

    /// <summary>The first element of a contiguous float32 CPU tensor (libtorch memory does not move).</summary>
    public static float* Pointer(Tensor contiguous) =>
        (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(contiguous.bytes));

    /// <summary>A new float array on the pinned heap, so kernels can address it without <c>fixed</c>.</summary>
    public static float[] Pinned(long length) => GC.AllocateUninitializedArray<float>(checked((int)length), pinned: true);

    public static float* Pointer(float[] pinned) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    /// <summary>Blocks of each of <c>Items</c> rows of <c>Voxels</c> voxels.</summary>
    public readonly record struct Blocks(int Items, long Voxels)
    {
        public int PerItem => (int)((Voxels + BlockSize - 1) / BlockSize);
        public int Count => Items * PerItem;
        public int Item(int block) => block / PerItem;
        public long Start(int block) => (long)(block % PerItem) * BlockSize;
        public int Length(int block) => (int)Math.Min(BlockSize, Voxels - Start(block));
    }

    /// <summary>Runs <paramref name="body"/> on every block, on at most libtorch's thread count.</summary>
    public static void For(Blocks blocks, Action<int> body)
    {
        var threads = Math.Max(1, get_num_threads());
        if (threads == 1 || blocks.Count == 1)
        {
            for (var i = 0; i < blocks.Count; i++) body(i);
            return;
        }
        Parallel.For(0, blocks.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>Sum of per-block partials in block order (deterministic).</summary>
    public static double Sum(double[] partials)
    {
        var sum = 0.0;
        foreach (var p in partials) sum += p;
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p, int n) => n == Width ? Vector512.Load(p) : LoadPartial(p, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> v, float* p, int n)
    {
        if (n == Width) v.Store(p);
        else StorePartial(v, p, n);
    }

    /// <summary>All-ones lanes for the first <paramref name="n"/> voxels of a vector, zero lanes after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Valid(int n) =>
        n == Width ? Vector512<float>.AllBitsSet : Vector512.LessThan(Vector512<float>.Indices, Vector512.Create((float)n));

    // The partial vectors live out of line: a stackalloc would keep the hot path from being inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<float> LoadPartial(float* p, int n)
    {
        var padded = stackalloc float[Width];
        new Span<float>(padded, Width).Clear();
        new ReadOnlySpan<float>(p, n).CopyTo(new Span<float>(padded, Width));
        return Vector512.Load(padded);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePartial(Vector512<float> v, float* p, int n)
    {
        var padded = stackalloc float[Width];
        v.Store(padded);
        new ReadOnlySpan<float>(padded, n).CopyTo(new Span<float>(p, n));
    }

    /// <summary>A scalar float32 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value) => tensor((float)value);
}
