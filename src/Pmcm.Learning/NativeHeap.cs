using System.Runtime.InteropServices;

namespace Pmcm.Learning;

/// <summary>
/// The C heap that libtorch allocates its tensors from. glibc serves every block above 32 MB (most activations of
/// a 3-D network) with a fresh <c>mmap</c> and unmaps it on free, so each forward pass faults in and zeroes
/// gigabytes of new pages: on this project's CPU that kernel time was about a third of sliding-window inference
/// (docs/performance.md). <see cref="RetainFreedMemory"/> makes freed blocks stay in the heap for the next pass.
/// </summary>
/// <remarks>
/// With every block in one heap, freed memory is recycled at once, so TorchSharp 0.107's implicit <c>Scalar</c>s,
/// which a collection may free while libtorch still reads them (see <see cref="TorchGcGuard"/>), are overwritten
/// before the read more often: while the trainer's case loaders still allocated during the first steps (enough to
/// end the guard's quiet region), <c>pmcm train</c> on the real LA cases stopped with that error in 3 of 5 runs
/// with it. Since the trainer loads every case before the first step, the guard holds for training as for
/// sliding-window inference, and the CLI's training commands retain freed memory too (about 10 % off a step at
/// the LA grid's scale, docs/performance.md). A library user who trains inside a larger process decides for
/// themselves: the setting is process-wide.
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
