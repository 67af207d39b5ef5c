using Pmcm.Core.Data;
using Pmcm.Core.Transforms;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Training;

[Collection("Torch generator")]
public class BatchNormRecalibrationTests
{
    private static readonly Shape3 Patch = new(16, 16, 16);

    private static Sample Case(int i)
    {
        var random = new Random(100 + i);
        var shape = new Shape3(20, 18, 17);
        var image = Enumerable.Range(0, (int)shape.Count).Select(_ => (float)(random.NextDouble() * 2 - 1 + 0.3 * i)).ToArray();
        return new Sample($"case{i}", shape, image, null, null, false);
    }

    private static BatchNormRecalibration Create(int batches) =>
        new(caseCount: 5, Case, new TrainingAugmentation(new AugmentationOptions(Patch, true)), batches, batchSize: 2, seed: 1337);

    private static PmcmNet Network()
    {
        manual_seed(3);
        return new PmcmNet(new NetworkOptions { NFilters = 2, DropoutRate = 0.5 });
    }

    [Fact]
    public void FirstNormalisationHoldsTheAverageOfEachBatchsChannelStatistics()
    {
        // The first BatchNorm normalises the first convolution's output: its recalibrated running mean and
        // (unbiased) variance must be the averages over the batches of that output's per-channel statistics.
        var network = Network();
        var recalibration = Create(batches: 3);
        recalibration.Apply(network, CPU);

        using var scope = NewDisposeScope();
        var modules = network.named_modules().ToDictionary(m => m.name, m => m.module);
        var conv = (nn.Module<Tensor, Tensor>)modules["encoder.block_one.conv.0"];
        var norm = (BatchNorm3d)modules["encoder.block_one.conv.1"];
        Tensor mean = zeros(2), variance = zeros(2);
        using (no_grad())
        {
            for (var k = 0; k < 3; k++)
            {
                var h = conv.forward(recalibration.Batch(k)).transpose(0, 1).reshape(2, -1);
                mean += h.mean([1]);
                variance += h.var(1, unbiased: true);
            }
        }
        Assert.True((norm.running_mean! - mean / 3).abs().max().item<float>() < 1e-5);
        Assert.True(((norm.running_var! - variance / 3).abs() / (variance / 3)).max().item<float>() < 1e-4);
    }

    [Fact]
    public void ResultDependsOnlyOnTheWeightsAndLeavesEverythingElseAsItWas()
    {
        var network = Network();
        var norms = network.modules().OfType<BatchNorm3d>().ToList();
        using var scope = NewDisposeScope();
        // Disturb the running statistics and counters as training would.
        using (no_grad())
        {
            network.train();
            network.forward(randn(new long[] { 2, 1, 16, 16, 16 }) * 5 + 2);
        }
        var tracked = norms.Select(n => n.num_batches_tracked!.item<long>()).ToArray();
        var weights = network.parameters().Select(p => p.clone()).ToArray();
        network.eval();

        Create(batches: 2).Apply(network, CPU);
        var first = norms.Select(n => n.running_var!.clone()).ToArray();
        using (no_grad())
        {
            network.train();
            network.forward(randn(new long[] { 2, 1, 16, 16, 16 }));
        }
        network.eval();
        Create(batches: 2).Apply(network, CPU);

        Assert.False(network.training);
        for (var i = 0; i < norms.Count; i++)
        {
            Assert.True(norms[i].running_var!.eq(first[i]).all().item<bool>(), $"norm {i} differs between two recalibrations");
            Assert.Equal(0.1, norms[i].momentum!.Value, 12);
            Assert.Equal(tracked[i] + 1, norms[i].num_batches_tracked!.item<long>());
        }
        Assert.All(network.parameters().Zip(weights), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
    }

    [Fact]
    public void DropoutIsOffWhileTheStatisticsAreGathered()
    {
        // Dropout3d draws random channel masks; with dropout off the result is independent of the random seed.
        var a = Network();
        var b = Network();
        manual_seed(1);
        Create(batches: 1).Apply(a, CPU);
        manual_seed(2);
        Create(batches: 1).Apply(b, CPU);
        foreach (var (x, y) in a.modules().OfType<BatchNorm3d>().Zip(b.modules().OfType<BatchNorm3d>()))
            Assert.True(x.running_var!.eq(y.running_var!).all().item<bool>());
    }
}
