using System.Runtime.InteropServices;

namespace Pmcm.Learning;

/// <summary>
/// The C heap that libtorch allocates its tensors from. glibc serves every block above 32 MB (most activations of
/// a 3-D network) with a fresh <c>mmap</c> and unmaps it on free, so each forward pass faults in and zeroes
/// gigabytes of new pages: on this project's CPU that kernel time was about a third of sliding-window inference
/// (docs/performance.md). <see cref="RetainFreedMemory"/> makes freed blocks stay in the heap for the next pass.
/// </summary>
/// <remarks>
/// Inference only, not yet training: with every block in one heap, freed memory is recycled at once, so TorchSharp
/// 0.107's implicit <c>Scalar</c>s, which a collection may free while libtorch still reads them (see
/// <see cref="TorchGcGuard"/>), are overwritten before the read more often. <c>pmcm train</c> on the real LA cases,
/// while its loader threads still allocated during the first steps (enough to end the guard's quiet region),
/// stopped with that error within 12 iterations in 3 of 5 runs with it and in 1 of 5 without. The trainer now loads
/// every case before the first step, and 3 runs with it were clean: too few to turn it on for training yet.
/// Sliding-window inference allocates little managed memory inside a guarded batch, so the guard holds there.
/// </remarks>
public static partial class NativeHeap
{
    // glibc's mallopt parameters (malloc.h).
    private const int TrimThreshold = -1;
    private const int MmapMax = -4;

    /// <summary>
    /// Process-wide: serves every allocation from the heap (no <c>mmap</c>) and returns its free top to the system only
    /// beyond 2 GB, so memory is reused from one window or step to the next; the resident size then stays at the
    /// process's peak. Call it once at start-up, before the first tensor. Returns false (and changes nothing) where
    /// the C library is not glibc.
    /// </summary>
    public static bool RetainFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MmapMax, 0) == 1 && mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Returns the heap's free pages to the system (glibc's <c>malloc_trim</c>), for when a phase that needed much
    /// native memory is over and the process goes on without it (e.g. writing a mask after the network ran).
    /// </summary>
    public static void ReleaseFreeMemory()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
