using System.Runtime.CompilerServices;

namespace Pmcm.Learning;

/// <summary>
/// Holds the .NET finalizer thread for the length of one unit of libtorch work, so that no finalizer runs while
/// the unit's native calls may still read what it frees — even if a garbage collection happens meanwhile, which
/// the quiet region of <see cref="TorchGcGuard"/> alone cannot rule out (another thread's allocations end it).
/// </summary>
/// <remarks>
/// How: <see cref="Close"/> drops a sentinel object whose finalizer waits for <see cref="Open"/>, then runs a
/// gen-0 collection that queues it. The finalizer thread runs finalizers one at a time in queue order: those
/// queued before the sentinel belong to objects that died before the unit began, and everything the unit lets die
/// queues behind the sentinel and waits. Collections still reclaim memory; only finalization is deferred.
/// </remarks>
internal sealed class FinalizerGate
{
    /// <summary>
    /// The longest a gate holds the finalizer thread. A unit that itself waits for pending finalizers (TorchSharp
    /// does when a native allocation fails, before retrying) is released after this instead of deadlocking.
    /// </summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(30);

    private readonly ManualResetEventSlim opened = new(false);

    private FinalizerGate()
    {
    }

    public static FinalizerGate Close()
    {
        var gate = new FinalizerGate();
        Plant(gate.opened);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        return gate;
    }

    public void Open() => opened.Set();

    // Not inlined, so that no reference to the sentinel is left in the caller's frame when the collection runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Plant(ManualResetEventSlim opened) => _ = new Sentinel(opened);

    private sealed class Sentinel(ManualResetEventSlim opened)
    {
        ~Sentinel() => opened.Wait(MaxHold);
    }
}
