using System.Runtime;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests;

[Collection("Memory")]
public class TorchGcGuardTests
{
    [Fact]
    public void Scalar_arithmetic_beside_an_allocating_thread_survives_inside_the_guard()
    {
        // Outside the guard this loop fails within seconds on a loaded machine (TorchSharp frees implicitly
        // converted scalars from the finalizer thread while libtorch reads them); inside it, no collection runs.
        using var stop = new CancellationTokenSource();
        var churn = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.KeepAlive(new byte[512]);
                Thread.SpinWait(200);
            }
        });
        churn.Start();
        var x = ones(256);
        var sum = 0.0;
        for (var unit = 0; unit < 300; unit++)
        {
            using var quiet = TorchGcGuard.Enter();
            using var scope = NewDisposeScope();
            var y = x;
            for (var i = 0; i < 50; i++) y = (y + 1.5) * 0.5 - 0.25;
            sum += y[0].item<float>();
        }
        stop.Cancel();
        churn.Join();
        // 1 is the fixed point of y ↦ (y + 1.5)·0.5 − 0.25, so every unit ends at exactly 1.
        Assert.Equal(300.0, sum, 3);
    }

    [Fact]
    public void Guards_nest_and_leave_the_collector_as_they_found_it()
    {
        var before = GCSettings.LatencyMode;
        using (TorchGcGuard.Enter())
        {
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            using (TorchGcGuard.Enter()) Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void Finalizers_wait_for_the_end_of_the_unit_even_when_a_collection_runs_inside_it()
    {
        using var finalized = new ManualResetEventSlim();
        using (TorchGcGuard.Enter())
        {
            DropFinalizable(finalized);
            GC.Collect(); // what an allocation burst on another thread can cause mid-step
            Assert.False(finalized.Wait(300), "a finalizer ran inside the guarded unit");
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(finalized.IsSet);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DropFinalizable(ManualResetEventSlim finalized) => _ = new Finalizable(finalized);

    private sealed class Finalizable(ManualResetEventSlim finalized)
    {
        ~Finalizable() => finalized.Set();
    }
}
