using System.Runtime;

namespace Pmcm.Learning;

/// <summary>
/// Keeps .NET's garbage collector and finalizers from freeing anything libtorch may still read while it works
/// through one unit of work (a training step, a batch of windows).
/// </summary>
/// <remarks>
/// Why: in TorchSharp 0.107 a <c>Scalar</c> — created implicitly by every <c>tensor + 1.0</c>, every <c>alpha</c>
/// argument, every optimiser update — is a bare native pointer with a finalizer, and nothing keeps it alive
/// during the native call that reads it. When a collection happens inside that window, the finalizer thread
/// frees the scalar while libtorch still reads it: a step fails with libtorch's "toFloat … Expected false to be
/// true" or worse, the more often the busier the machine (reproduced: a loop of scalar additions beside an
/// allocating thread fails within seconds; inside this guard it does not). Two layers: a quiet region (no
/// collection while the unit allocates less than <see cref="Budget"/>) and a <see cref="FinalizerGate"/> that
/// holds the finalizer thread until the unit ends, for when a collection happens anyway — the quiet region is
/// process-wide and ends early when any thread allocates past the budget, and a demo run still died of the
/// scalar error at iteration 256 with the quiet region alone. Entering costs one gen-0 collection (cheap: the
/// managed heap holds only small wrappers).
/// </remarks>
public readonly struct TorchGcGuard : IDisposable
{
    /// <summary>Managed allocation allowed inside the unit; a step allocates a few MB of wrappers and batch arrays.</summary>
    public const long Budget = 256L << 20;

    private readonly bool entered;
    private readonly FinalizerGate? gate;
    private static long unguarded;

    /// <summary>
    /// Units so far that ran partly or wholly with the collector free (their finalizers still held by the gate): the
    /// quiet region could not start, or ended early because the unit (or another thread meanwhile) allocated past
    /// <see cref="Budget"/>. Nested guards do not count. Training reports a rise.
    /// </summary>
    public static long Unguarded => Interlocked.Read(ref unguarded);

    private TorchGcGuard(bool entered, FinalizerGate gate)
    {
        this.entered = entered;
        this.gate = gate;
    }

    /// <summary>Holds finalizers and starts a quiet region, unless a guard is already active (guards nest as no-ops).</summary>
    public static TorchGcGuard Enter()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default;
        var gate = FinalizerGate.Close();
        bool started;
        try
        {
            started = GC.TryStartNoGCRegion(Budget);
        }
        catch (InvalidOperationException)
        {
            started = false; // another thread started a region first
        }
        if (!started) Interlocked.Increment(ref unguarded);
        return new TorchGcGuard(started, gate);
    }

    public void Dispose()
    {
        EndQuietRegion();
        gate?.Open();
    }

    private void EndQuietRegion()
    {
        if (!entered) return;
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            Interlocked.Increment(ref unguarded);
            return;
        }
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region already ended (the unit allocated past the budget): nothing to undo.
        }
    }
}
