using Pmcm.Core.Data;
using Pmcm.Core.Tests.Transforms;
using Pmcm.Core.Transforms;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Data;

public class BatchProducerTests
{
    private const int Labeled = 4;
    private const int Unlabeled = 6;
    private static readonly string[] Names = Enumerable.Range(0, Labeled + Unlabeled).Select(i => $"c{i}").ToArray();
    private static readonly SamplerOptions Composition = new(2, 2);
    private static readonly TrainingAugmentation Augmentation = new(new AugmentationOptions(new Shape3(6, 6, 4)));

    // Cases of different shapes, some smaller than the patch, so padding and rotation both happen.
    private static Sample Load(int i) => TestSamples.Coupled(Names[i], new Shape3(5 + i % 4, 7, 3 + i % 3), seed: 100 + i);

    private static BatchProducer Create(Func<int, Sample> load, int depth = 2, ulong seed = 9) =>
        new(Names, load, new TwoStreamBatchSampler(Labeled, Unlabeled, Composition, seed), Augmentation, new BatchProducerOptions(depth, 1337));

    private static void AssertSame(TrainingBatch expected, TrainingBatch actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.CaseNames, actual.CaseNames);
        Assert.Equal(expected.Image, actual.Image);
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.Sdf, actual.Sdf);
    }

    [Fact]
    public void Batches_are_sampler_order_augmented_with_keyed_streams()
    {
        using var producer = Create(Load);
        var sampler = new TwoStreamBatchSampler(Labeled, Unlabeled, Composition, 9);
        var voxels = (int)Augmentation.Options.Patch.Count;
        for (var b = 0; b < 6; b++)
        {
            var batch = producer.Next();
            var indices = sampler.NextBatch();
            Assert.Equal(b, batch.Index);
            Assert.Equal(2, batch.LabeledCount);
            Assert.Equal(indices.Select(i => Names[i]), batch.CaseNames);
            Assert.Equal(4 * voxels, batch.Image.Length);
            for (var slot = 0; slot < 4; slot++)
            {
                var expected = Augmentation.Apply(Load(indices[slot]), Rng.ForStream(1337, (ulong)b, (ulong)slot));
                Assert.Equal(expected.Image, batch.Image.AsSpan(slot * voxels, voxels).ToArray());
                Assert.Equal(expected.Label, batch.Label.AsSpan(slot * voxels, voxels).ToArray());
                Assert.Equal(expected.Sdf, batch.Sdf.AsSpan(slot * voxels, voxels).ToArray());
            }
        }
    }

    [Fact]
    public void Slow_and_fast_consumers_see_the_same_batches()
    {
        using var fast = Create(Load, depth: 3);
        using var slow = Create(Load, depth: 1);
        var quick = Enumerable.Range(0, 8).Select(_ => fast.Next()).ToArray();
        foreach (var expected in quick)
        {
            Thread.Sleep(15);
            AssertSame(expected, slow.Next());
        }
    }

    [Fact]
    public void Each_case_is_loaded_once()
    {
        var loads = new int[Names.Length];
        using var producer = Create(i => { Interlocked.Increment(ref loads[i]); return Load(i); });
        for (var b = 0; b < 20; b++) producer.Next();
        Assert.All(loads, n => Assert.InRange(n, 0, 1));
        Assert.Equal(Labeled, loads[..Labeled].Sum());
    }

    [Fact]
    public void Cases_are_loaded_ahead_of_need_and_in_parallel()
    {
        // Every case is slow to load; the first batch needs only a few, yet all get loaded, several at a time.
        var loads = new int[Names.Length];
        var running = 0;
        var mostAtOnce = 0;
        using var producer = Create(i =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            Thread.Sleep(40);
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref loads[i]);
            return Load(i);
        });
        producer.Next();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (loads.Sum() < Names.Length && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.All(loads, n => Assert.Equal(1, n));
        if (Environment.ProcessorCount > 1) Assert.True(mostAtOnce > 1, $"at most {mostAtOnce} case loaded at a time");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    [Fact]
    public void Resuming_from_a_batch_continues_the_stream_exactly()
    {
        using var producer = Create(Load);
        var original = Enumerable.Range(0, 9).Select(_ => producer.Next()).ToArray();
        using var resumed = BatchProducer.Resume(Names, Load, original[3].ResumeAfter, Augmentation, new BatchProducerOptions(2, 1337));
        foreach (var expected in original[4..]) AssertSame(expected, resumed.Next());
    }

    [Fact]
    public void A_failing_case_surfaces_with_its_name()
    {
        using var producer = Create(i => i == 7 ? throw new PmcmException("c7.h5: truncated file") : Load(i));
        var ex = Assert.Throws<PmcmException>(() => { for (var b = 0; b < 100; b++) producer.Next(); });
        Assert.Contains("case 'c7'", ex.Message);
        Assert.Contains("truncated file", ex.Message);
    }

    [Fact]
    public void An_unexpected_failure_keeps_its_type_family_and_the_case_name()
    {
        using var producer = Create(i => i == 2 ? throw new IndexOutOfRangeException("boom") : Load(i));
        var ex = Assert.Throws<InvalidOperationException>(() => { for (var b = 0; b < 100; b++) producer.Next(); });
        Assert.Contains("'c2'", ex.Message);
        Assert.IsType<IndexOutOfRangeException>(ex.InnerException);
    }

    [Fact]
    public async Task Dispose_stops_a_producer_waiting_on_a_full_queue()
    {
        var producer = Create(Load, depth: 1);
        producer.Next();
        await Task.Delay(20);
        await Task.Run(producer.Dispose).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Throws<ObjectDisposedException>(() => producer.Next());
    }

    [Fact]
    public void Mismatched_names_are_refused()
    {
        Assert.Throws<PmcmException>(() => new BatchProducer(Names[..5], Load, new TwoStreamBatchSampler(Labeled, Unlabeled, Composition, 1),
            Augmentation, new BatchProducerOptions()));
    }
}
