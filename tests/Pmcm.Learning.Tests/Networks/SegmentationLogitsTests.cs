using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Networks;

/// <summary>
/// The prediction path (encoder + decoder 1's segmentation head) gives bit for bit the logits of the full forward,
/// for every network kind and in both precisions; it only leaves out work.
/// </summary>
public class SegmentationLogitsTests
{
    [Theory]
    [InlineData(TrainingMethod.Pmcm, Precision.Fp32)]
    [InlineData(TrainingMethod.Pmcm, Precision.Bf16)]
    [InlineData(TrainingMethod.McNet, Precision.Fp32)]
    [InlineData(TrainingMethod.Supervised, Precision.Fp32)]
    public void Equal_the_full_forwards_decoder_1_logits(TrainingMethod method, Precision precision)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var net = TrainingMethods.CreateNetwork(method, new NetworkOptions { NFilters = 2, DropoutRate = 0.5 });
        net.Precision = precision;
        net.eval();
        // Two items of a patch whose sides differ, so a transposed axis would show.
        var input = randn([2, 1, 32, 16, 48]);

        var full = net.forward(input).Decoder1.Seg;
        var alone = net.SegmentationLogits(input);

        Assert.Equal(full.shape, alone.shape);
        Assert.Equal(ScalarType.Float32, alone.dtype);
        Assert.True(full.eq(alone).all().item<bool>(), $"max difference {(full - alone).abs().max().item<float>()}");
    }
}
