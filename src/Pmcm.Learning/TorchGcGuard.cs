using System.Runtime;

namespace Pmcm.Learning;

/// <summary>
/// Keeps the .NET garbage collector from running while libtorch works through one unit of work (a training
/// step, a batch of windows).
/// </summary>
/// <remarks>
/// Why: in TorchSharp 0.107 a <c>Scalar</c> — created implicitly by every <c>tensor + 1.0</c>, every <c>alpha</c>
/// argument, every optimiser update — is a bare native pointer with a finalizer, and nothing keeps it alive
/// during the native call that reads it. When a collection happens inside that window, the finalizer thread
/// frees the scalar while libtorch still reads it: a step fails with libtorch's "toFloat … Expected false to be
/// true" or worse, the more often the busier the machine (reproduced: a loop of scalar additions beside an
/// allocating thread fails within seconds; inside this guard it does not). Without a collection during the
/// unit, its scalars are finalized after it, when nothing uses them any more. Entering the guard may run one
/// collection first (cheap: the managed heap holds only small wrappers); a unit that allocates more than
/// <see cref="Budget"/> simply ends the quiet region early, as .NET does.
/// </remarks>
public readonly struct TorchGcGuard : IDisposable
{
    /// <summary>Managed allocation allowed inside the unit; a step allocates a few MB of wrappers and batch arrays.</summary>
    public const long Budget = 256L << 20;

    private readonly bool entered;
    private static long unguarded;

    /// <summary>
    /// Units so far that ran partly or wholly with the collector free: the quiet region could not start, or ended
    /// early because the unit (or another thread meanwhile) allocated past <see cref="Budget"/>. Nested guards do not
    /// count. Training reports a rise, so that a crash of the kind above can be told apart from a guarded one.
    /// </summary>
    public static long Unguarded => Interlocked.Read(ref unguarded);

    private TorchGcGuard(bool entered) => this.entered = entered;

    /// <summary>Starts a quiet region unless one is already active (guards nest as no-ops).</summary>
    public static TorchGcGuard Enter()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default;
        try
        {
            var started = GC.TryStartNoGCRegion(Budget);
            if (!started) Interlocked.Increment(ref unguarded);
            return new TorchGcGuard(started);
        }
        catch (InvalidOperationException)
        {
            Interlocked.Increment(ref unguarded);
            return default; // another thread started a region first
        }
    }

    public void Dispose()
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
