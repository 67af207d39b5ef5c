using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Pmcm.Core.Transforms;

namespace Pmcm.Core.Data;

/// <summary>
/// Prepares training batches on a background task while the current step runs: asks the sampler for
/// the next indices, takes each case from memory, augments and crops it, and packs the batch into
/// contiguous arrays. Every case is loaded once, by a preloader that starts with the producer and decodes
/// cases on all cores in parallel (decoding, shrinking and the SDF cost far more than a step at CPU scale),
/// so the stream reaches its steady rate within its first batches instead of after every case was seen. At most <see cref="BatchProducerOptions.QueueDepth"/> batches
/// wait in the queue.
/// The result does not depend on timing: the sampler is only advanced here, in batch order, and each
/// sample's augmentation draws come from its own stream keyed by (seed, batch index, slot).
/// A failure (unreadable case, wrong shape) is rethrown by <see cref="Next"/> with the case name.
/// </summary>
public sealed class BatchProducer : IDisposable
{
    private readonly IReadOnlyList<string> _caseNames;
    private readonly Func<int, Sample> _loadCase;
    private readonly TwoStreamBatchSampler _sampler;
    private readonly TrainingAugmentation _augmentation;
    private readonly BatchProducerOptions _options;
    private readonly Lazy<Sample>[] _cases;
    private readonly Thread[] _preloaders;
    private int _nextToPreload;
    private readonly Channel<TrainingBatch> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private Exception? _failure;
    private bool _disposed;

    /// <param name="caseNames">Names in the sampler's index space (labeled first, see <see cref="DatasetSplit.TrainingCases"/>).</param>
    /// <param name="loadCase">Loads case i (called at most once per case, from several threads at once).</param>
    /// <param name="sampler">Owned and advanced by the producer from now on.</param>
    /// <param name="firstBatch">Index of the first batch to produce (0, or <see cref="BatchResumePoint.NextBatch"/>).</param>
    public BatchProducer(
        IReadOnlyList<string> caseNames,
        Func<int, Sample> loadCase,
        TwoStreamBatchSampler sampler,
        TrainingAugmentation augmentation,
        BatchProducerOptions options,
        long firstBatch = 0)
    {
        if (caseNames.Count != sampler.LabeledCount + sampler.UnlabeledCount)
            throw new PmcmException(
                $"{caseNames.Count} case names for a sampler over {sampler.LabeledCount} labeled + {sampler.UnlabeledCount} unlabeled cases");
        if (options.QueueDepth < 1) throw new PmcmException($"queue depth {options.QueueDepth} must be at least 1");
        if (firstBatch < 0) throw new PmcmException($"first batch index {firstBatch} is negative");
        _caseNames = caseNames;
        _loadCase = loadCase;
        _sampler = sampler;
        _augmentation = augmentation;
        _options = options;
        _cases = Enumerable.Range(0, caseNames.Count)
            .Select(i => new Lazy<Sample>(() => LoadChecked(i), LazyThreadSafetyMode.ExecutionAndPublication))
            .ToArray();
        _queue = Channel.CreateBounded<TrainingBatch>(new BoundedChannelOptions(options.QueueDepth)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // Dedicated threads, not the thread pool: loads are long and the pool grows too slowly for them.
        _preloaders = Enumerable.Range(0, Math.Min(Environment.ProcessorCount, caseNames.Count))
            .Select(_ => new Thread(() => Preload(_stop.Token)) { IsBackground = true, Name = "case preloader" })
            .ToArray();
        foreach (var thread in _preloaders) thread.Start();
        _worker = Task.Run(() => ProduceAsync(firstBatch, _stop.Token));
    }

    /// <summary>Resumes a stream from a checkpoint's <see cref="BatchResumePoint"/>.</summary>
    public static BatchProducer Resume(
        IReadOnlyList<string> caseNames, Func<int, Sample> loadCase, BatchResumePoint point,
        TrainingAugmentation augmentation, BatchProducerOptions options) =>
        new(caseNames, loadCase, TwoStreamBatchSampler.Restore(point.Sampler), augmentation, options, point.NextBatch);

    /// <summary>The next batch, waiting for it if it is not ready yet.</summary>
    public TrainingBatch Next(CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return _queue.Reader.ReadAsync(cancellation).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException) when (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        try
        {
            _worker.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            // The worker was stopped while waiting for queue space: the expected way to end.
        }
        foreach (var thread in _preloaders) thread.Join();
        _stop.Dispose();
    }

    private async Task ProduceAsync(long firstBatch, CancellationToken stop)
    {
        try
        {
            for (var index = firstBatch; ; index++)
            {
                stop.ThrowIfCancellationRequested();
                var batch = Build(index, _sampler.NextBatch());
                await _queue.Writer.WriteAsync(batch, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _queue.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _failure = e;
            _queue.Writer.TryComplete(e);
        }
    }

    private TrainingBatch Build(long index, int[] indices)
    {
        var patch = _augmentation.Options.Patch;
        var voxels = (int)patch.Count;
        var image = new float[indices.Length * voxels];
        var label = new byte[indices.Length * voxels];
        var sdf = new float[indices.Length * voxels];
        var names = new string[indices.Length];
        for (var slot = 0; slot < indices.Length; slot++)
        {
            var caseIndex = indices[slot];
            names[slot] = _caseNames[caseIndex];
            Sample sample;
            try
            {
                sample = _augmentation.Apply(Load(caseIndex), Rng.ForStream(_options.AugmentationSeed, (ulong)index, (ulong)slot));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Describe(e, names[slot], index);
            }
            sample.Image.CopyTo(image, slot * voxels);
            sample.Label?.CopyTo(label, slot * voxels);
            sample.Sdf?.CopyTo(sdf, slot * voxels);
        }
        return new TrainingBatch(index, patch, _sampler.Options.LabeledPerBatch, names, image, label, sdf,
            new BatchResumePoint(index + 1, _sampler.State));
    }

    /// <summary>The case from memory; if the preloader has not reached it yet, it is loaded here (once).</summary>
    private Sample Load(int caseIndex) => _cases[caseIndex].Value;

    /// <summary>
    /// One preloading thread: takes the next case not yet claimed, in index order, until all are loaded.
    /// A failure stays in the case's <see cref="Lazy{T}"/>, which rethrows it to the producer when a batch
    /// first needs that case, so the error names the batch as before.
    /// </summary>
    private void Preload(CancellationToken stop)
    {
        for (var i = Interlocked.Increment(ref _nextToPreload) - 1; i < _cases.Length && !stop.IsCancellationRequested;
             i = Interlocked.Increment(ref _nextToPreload) - 1)
        {
            try
            {
                _ = _cases[i].Value;
            }
            catch (Exception)
            {
                // Reported by Load when the case is used.
            }
        }
    }

    private Sample LoadChecked(int caseIndex)
    {
        var sample = _loadCase(caseIndex);
        if (caseIndex < _sampler.LabeledCount && sample.Label is null)
            throw new PmcmException("labeled case has no label");
        return sample;
    }

    private static Exception Describe(Exception e, string caseName, long batch) => e is PmcmException
        ? new PmcmException($"case '{caseName}' (batch {batch}): {e.Message}", e)
        : new InvalidOperationException($"preparing case '{caseName}' for batch {batch} failed: {e.Message}", e);
}
