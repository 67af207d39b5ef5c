using Pmcm.Core;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Training;

[Collection("Torch generator")]
public class WeightAverageTests
{
    private static VNet Net(int seed)
    {
        manual_seed(seed);
        return new VNet(new NetworkOptions { NFilters = 2 });
    }

    [Fact]
    public void StartsAsACopyAndFoldsInEachStepWithTheWarmedUpMomentum()
    {
        using var source = Net(1);
        using var average = new WeightAverage(source, Net(2), 0.99);
        var before = source.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        foreach (var (name, p) in average.Network.named_parameters()) Assert.True(p.allclose(before[name], 0, 0), name);

        // One "step": every weight moves by +1.
        using (no_grad()) foreach (var p in source.parameters()) p.add_(1.0);
        average.Update(1);
        // α = min(0.99, 1 − 1/2) = 0.5, so the average sits halfway.
        Assert.Equal(0.5, average.Momentum(1));
        foreach (var (name, p) in average.Network.named_parameters())
            Assert.True(p.allclose(before[name] + 0.5, 1e-6, 1e-6), name);
        Assert.Equal(0.99, average.Momentum(1000));
    }

    [Fact]
    public void AveragesBatchNormStatisticsAndCopiesTheirCounter()
    {
        using var source = Net(1);
        using var average = new WeightAverage(source, Net(2), 0.9);
        source.train();
        using (no_grad()) source.call(randn(new long[] { 2, 1, 16, 16, 16 }) * 3 + 2);
        var mean = source.named_buffers().First(b => b.name.EndsWith("running_mean"));
        var counter = source.named_buffers().First(b => b.name.EndsWith("num_batches_tracked"));
        var averagedMean = average.Network.named_buffers().First(b => b.name == mean.name).buffer.clone();
        average.Update(100);
        var updated = average.Network.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        Assert.True(updated[mean.name].allclose(averagedMean * 0.9 + mean.buffer * 0.1, 1e-6, 1e-6));
        Assert.Equal(1L, updated[counter.name].item<long>());
    }

    [Fact]
    public void RefusesADecayOutsideTheOpenUnitInterval()
    {
        using var source = Net(1);
        Assert.Throws<PmcmException>(() => new WeightAverage(source, Net(2), 1.0));
    }
}
