using System.Runtime.CompilerServices;

namespace Pmcm.Learning;

/// <summary>
/// Holds the .NET finalizer thread for the length of one unit of libtorch work, so that no finalizer runs while
/// the unit's native calls may still read what it frees — even if a garbage collection happens meanwhile, which
/// the quiet region of <see cref="TorchGcGuard"/> alone cannot rule out (allocations on the pinned-object heap end it).
/// </summary>
/// <remarks>
/// How: <see cref="Close"/> drops a sentinel object whose finalizer waits for <see cref="Open"/>, runs a gen-0
/// collection that queues it, and waits until the finalizer thread is inside it. Only then is the gate closed: the
/// runtime hands queued objects to the finalizer thread newest first, so a sentinel still waiting in the queue
/// would not hold back what the unit lets die. Everything queued before it belongs to objects that died before
/// the unit began and is finalized first. Collections still reclaim memory; only finalization is deferred.
/// </remarks>
internal sealed class FinalizerGate
{
    /// <summary>
    /// The longest a gate holds the finalizer thread. A unit that itself waits for pending finalizers (TorchSharp
    /// does when a native allocation fails, before retrying) is released after this instead of deadlocking.
    /// </summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="Close"/> waits for the finalizer thread to finish older finalizers and reach the sentinel.</summary>
    public static readonly TimeSpan MaxWaitToClose = TimeSpan.FromSeconds(10);

    private readonly ManualResetEventSlim opened = new(false);
    private readonly ManualResetEventSlim holding = new(false);

    private FinalizerGate()
    {
    }

    public static FinalizerGate Close()
    {
        var gate = new FinalizerGate();
        Plant(gate.opened, gate.holding);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        // Should the sentinel have outlived the gen-0 collection, a full one finds it.
        if (!gate.holding.Wait(MaxWaitToClose / 2))
        {
            GC.Collect();
            gate.holding.Wait(MaxWaitToClose / 2);
        }
        return gate;
    }

    public void Open() => opened.Set();

    // Not inlined, so that no reference to the sentinel is left in the caller's frame when the collection runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Plant(ManualResetEventSlim opened, ManualResetEventSlim holding) => _ = new Sentinel(opened, holding);

    private sealed class Sentinel(ManualResetEventSlim opened, ManualResetEventSlim holding)
    {
        ~Sentinel()
        {
            holding.Set();
            opened.Wait(MaxHold);
        }
    }
}
