namespace Pmcm.Core.Data;

/// <summary>
/// The reference's TwoStreamBatchSampler. Indices live in one space: labeled cases are 0..L−1,
/// unlabeled cases L..L+U−1 (the training list with the labeled cases first).
/// An epoch is one pass over a fresh permutation of the labeled cases, cut into groups of
/// <see cref="SamplerOptions.LabeledPerBatch"/> (a remainder that does not fill a group is dropped, as
/// the reference's grouper does); each group is followed by the next
/// <see cref="SamplerOptions.UnlabeledPerBatch"/> indices of an endless chain of unlabeled permutations.
/// Deterministic for a seed; <see cref="State"/> / <see cref="Restore"/> resume it exactly.
/// </summary>
public sealed class TwoStreamBatchSampler
{
    private readonly int _labeledCount;
    private readonly int _unlabeledCount;
    private readonly SamplerOptions _options;
    private readonly Rng _rng;
    private long _epoch;
    private int[] _labeledOrder;
    private int _labeledPosition;
    private int[] _unlabeledOrder;
    private int _unlabeledPosition;

    public TwoStreamBatchSampler(int labeledCount, int unlabeledCount, SamplerOptions options, ulong seed)
    {
        Validate(labeledCount, unlabeledCount, options);
        _labeledCount = labeledCount;
        _unlabeledCount = unlabeledCount;
        _options = options;
        _rng = new Rng(seed);
        _epoch = -1;
        // Empty orders with the position at the end make the first batch start epoch 0.
        _labeledOrder = [];
        _unlabeledOrder = [];
    }

    private TwoStreamBatchSampler(SamplerState state)
    {
        Validate(state.LabeledCount, state.UnlabeledCount, state.Options);
        if (state.LabeledPosition < 0 || state.LabeledPosition > state.LabeledOrder.Length
            || state.UnlabeledPosition < 0 || state.UnlabeledPosition > state.UnlabeledOrder.Length
            || state.LabeledOrder.Any(i => i < 0 || i >= state.LabeledCount)
            || state.UnlabeledOrder.Any(i => i < 0 || i >= state.UnlabeledCount))
            throw new PmcmException("sampler state is inconsistent (positions or indices out of range)");
        _labeledCount = state.LabeledCount;
        _unlabeledCount = state.UnlabeledCount;
        _options = state.Options;
        _rng = Rng.FromState(state.Rng);
        _epoch = state.Epoch;
        _labeledOrder = (int[])state.LabeledOrder.Clone();
        _labeledPosition = state.LabeledPosition;
        _unlabeledOrder = (int[])state.UnlabeledOrder.Clone();
        _unlabeledPosition = state.UnlabeledPosition;
    }

    public static TwoStreamBatchSampler Restore(SamplerState state) => new(state);

    public SamplerOptions Options => _options;

    public int LabeledCount => _labeledCount;

    public int UnlabeledCount => _unlabeledCount;

    /// <summary>Batches per epoch: ⌊L / Bl⌋, as the reference's <c>__len__</c>.</summary>
    public int BatchesPerEpoch => _labeledCount / _options.LabeledPerBatch;

    /// <summary>The epoch the last returned batch belongs to (−1 before the first batch).</summary>
    public long Epoch => _epoch;

    public SamplerState State => new(
        _labeledCount, _unlabeledCount, _options, _rng.State, _epoch,
        (int[])_labeledOrder.Clone(), _labeledPosition, (int[])_unlabeledOrder.Clone(), _unlabeledPosition);

    /// <summary>The next batch: Bl labeled indices then Bu unlabeled indices (offset by L).</summary>
    public int[] NextBatch()
    {
        var bl = _options.LabeledPerBatch;
        var bu = _options.UnlabeledPerBatch;
        if (_labeledPosition + bl > _labeledOrder.Length) StartEpoch();
        var batch = new int[bl + bu];
        for (var i = 0; i < bl; i++) batch[i] = _labeledOrder[_labeledPosition++];
        for (var i = 0; i < bu; i++)
        {
            if (_unlabeledPosition == _unlabeledOrder.Length) NewUnlabeledPass();
            batch[bl + i] = _labeledCount + _unlabeledOrder[_unlabeledPosition++];
        }
        return batch;
    }

    private void StartEpoch()
    {
        _epoch++;
        _labeledOrder = _rng.Permutation(_labeledCount);
        _labeledPosition = 0;
        if (_options.RestartUnlabeledEachEpoch) NewUnlabeledPass();
    }

    private void NewUnlabeledPass()
    {
        _unlabeledOrder = _rng.Permutation(_unlabeledCount);
        _unlabeledPosition = 0;
    }

    private static void Validate(int labeledCount, int unlabeledCount, SamplerOptions options)
    {
        // Zero unlabeled slots is the supervised baseline's sampler: labeled cases only.
        if (options.LabeledPerBatch <= 0 || options.UnlabeledPerBatch < 0)
            throw new PmcmException($"batch composition {options.LabeledPerBatch} labeled + {options.UnlabeledPerBatch} unlabeled: at least 1 labeled, no negative counts");
        if (labeledCount < options.LabeledPerBatch)
            throw new PmcmException($"{labeledCount} labeled cases cannot fill {options.LabeledPerBatch} labeled slots per batch");
        if (unlabeledCount < options.UnlabeledPerBatch)
            throw new PmcmException($"{unlabeledCount} unlabeled cases cannot fill {options.UnlabeledPerBatch} unlabeled slots per batch");
    }
}
