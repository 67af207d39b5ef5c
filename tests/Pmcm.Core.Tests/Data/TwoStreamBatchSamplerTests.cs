using System.Text.Json;
using Pmcm.Core.Data;

namespace Pmcm.Core.Tests.Data;

public class TwoStreamBatchSamplerTests
{
    [Fact]
    public void Each_epoch_uses_every_labeled_case_once_and_fills_the_unlabeled_slots()
    {
        var sampler = new TwoStreamBatchSampler(8, 12, new SamplerOptions(2, 2), seed: 1);
        Assert.Equal(4, sampler.BatchesPerEpoch);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var labeled = new List<int>();
            for (var b = 0; b < 4; b++)
            {
                var batch = sampler.NextBatch();
                Assert.Equal(4, batch.Length);
                Assert.All(batch[..2], i => Assert.InRange(i, 0, 7));
                Assert.All(batch[2..], i => Assert.InRange(i, 8, 19));
                labeled.AddRange(batch[..2]);
                Assert.Equal(epoch, sampler.Epoch);
            }
            Assert.Equal(Enumerable.Range(0, 8), labeled.Order());
        }
    }

    [Fact]
    public void Labeled_remainder_is_dropped_like_the_reference_grouper()
    {
        var sampler = new TwoStreamBatchSampler(5, 4, new SamplerOptions(2, 1), seed: 2);
        Assert.Equal(2, sampler.BatchesPerEpoch);
        for (var epoch = 0; epoch < 5; epoch++)
        {
            var labeled = sampler.NextBatch()[..2].Concat(sampler.NextBatch()[..2]).ToArray();
            Assert.Equal(4, labeled.Distinct().Count());
            Assert.Equal(epoch, sampler.Epoch);
        }
    }

    [Fact]
    public void Continuous_unlabeled_stream_is_a_chain_of_permutations()
    {
        var sampler = new TwoStreamBatchSampler(4, 6, new SamplerOptions(2, 2, RestartUnlabeledEachEpoch: false), seed: 3);
        for (var pass = 0; pass < 4; pass++)
        {
            var unlabeled = Enumerable.Range(0, 3).SelectMany(_ => sampler.NextBatch()[2..]).ToArray();
            Assert.Equal(Enumerable.Range(4, 6), unlabeled.Order());
        }
    }

    [Fact]
    public void Reference_unlabeled_stream_restarts_every_epoch()
    {
        // 2 batches per epoch use 4 of 6 unlabeled cases, each time from a fresh permutation.
        var sampler = new TwoStreamBatchSampler(4, 6, new SamplerOptions(2, 2), seed: 4);
        var epochs = new List<int[]>();
        for (var epoch = 0; epoch < 20; epoch++)
        {
            var unlabeled = sampler.NextBatch()[2..].Concat(sampler.NextBatch()[2..]).ToArray();
            Assert.Equal(4, unlabeled.Distinct().Count());
            epochs.Add(unlabeled);
        }
        // With a continuing stream the 2 leftovers of a pass would open the next epoch; here every case shows up first sometimes.
        Assert.Equal(6, epochs.Select(e => e[0]).Distinct().Count());
    }

    [Fact]
    public void Same_seed_same_batches_different_seed_different_batches()
    {
        int[][] Run(ulong seed)
        {
            var s = new TwoStreamBatchSampler(8, 30, new SamplerOptions(2, 2), seed);
            return Enumerable.Range(0, 50).Select(_ => s.NextBatch()).ToArray();
        }
        Assert.Equal(Run(1337), Run(1337));
        Assert.NotEqual(Run(1337), Run(1338));
    }

    [Fact]
    public void Restored_state_continues_exactly_also_through_json()
    {
        var sampler = new TwoStreamBatchSampler(8, 7, new SamplerOptions(2, 3), seed: 5);
        for (var i = 0; i < 7; i++) sampler.NextBatch();
        var state = sampler.State;
        var json = JsonSerializer.Serialize(state);
        var expected = Enumerable.Range(0, 30).Select(_ => sampler.NextBatch()).ToArray();

        var restored = TwoStreamBatchSampler.Restore(state);
        Assert.Equal(expected, Enumerable.Range(0, 30).Select(_ => restored.NextBatch()));
        var fromJson = TwoStreamBatchSampler.Restore(JsonSerializer.Deserialize<SamplerState>(json)!);
        Assert.Equal(expected, Enumerable.Range(0, 30).Select(_ => fromJson.NextBatch()));
    }

    [Fact]
    public void Too_few_cases_are_refused()
    {
        Assert.Throws<PmcmException>(() => new TwoStreamBatchSampler(1, 10, new SamplerOptions(2, 2), 1));
        Assert.Throws<PmcmException>(() => new TwoStreamBatchSampler(4, 1, new SamplerOptions(2, 2), 1));
        Assert.Throws<PmcmException>(() => new TwoStreamBatchSampler(4, 4, new SamplerOptions(0, 2), 1));
    }

    [Fact]
    public void Corrupt_state_is_refused()
    {
        var state = new TwoStreamBatchSampler(4, 4, new SamplerOptions(), 1).State;
        Assert.Throws<PmcmException>(() => TwoStreamBatchSampler.Restore(state with { LabeledOrder = [0, 9, 1, 2], LabeledPosition = 0 }));
        Assert.Throws<PmcmException>(() => TwoStreamBatchSampler.Restore(state with { UnlabeledPosition = 3 }));
    }
}
