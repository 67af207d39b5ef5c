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
/// holds the finalizer thread until the unit ends, for when a collection happens anyway. It does, in most PMCM
/// steps: the fused loss kernels' arrays on the pinned-object heap can trigger a collection inside the region,
/// which ends it (about 12 MB allocated per step, far below the budget); and a demo run died of the scalar
/// error at iteration 256 with the quiet region alone. Entering costs one gen-0 collection (cheap: the managed
/// heap holds only small wrappers).
/// </remarks>
public readonly struct TorchGcGuard : IDisposable
{
    /// <summary>Managed allocation allowed inside the unit; a step allocates a few MB of wrappers and batch arrays.</summary>
    public const long Budget = 256L << 20;

    // The region and the gate are process-wide, so guards on any thread share them: the first to enter starts
    // both, the last to leave ends both, and a unit is covered from its start to its end whatever others do.
    private static readonly Lock Sync = new();
    private static int active;
    private static FinalizerGate? gate;
    private static bool regionStarted;

    private readonly bool entered;

    private TorchGcGuard(bool entered) => this.entered = entered;

    /// <summary>Holds finalizers and starts a quiet region, or joins the ones another guard (nested, or on another thread) holds.</summary>
    public static TorchGcGuard Enter()
    {
        lock (Sync)
        {
            if (active == 0)
            {
                gate = FinalizerGate.Close();
                try
                {
                    regionStarted = GC.TryStartNoGCRegion(Budget);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
                {
                    regionStarted = false; // a region started outside these guards, or a runtime that cannot reserve the budget
                }
            }
            active++;
        }
        return new TorchGcGuard(true);
    }

    public void Dispose()
    {
        if (!entered) return;
        lock (Sync)
        {
            if (--active > 0) return;
            if (regionStarted && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                try
                {
                    GC.EndNoGCRegion();
                }
                catch (InvalidOperationException)
                {
                    // The region already ended (the units allocated past the budget): nothing to undo.
                }
            }
            regionStarted = false;
            gate?.Open();
            gate = null;
        }
    }
}
