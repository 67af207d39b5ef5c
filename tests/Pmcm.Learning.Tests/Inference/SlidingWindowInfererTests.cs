using Pmcm.Core;
using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Inference;

public class SlidingWindowInfererTests
{
    // 20×18×17: no axis a multiple of the stride; 10×12×9: smaller than the 16³ patch on every axis.
    public static TheoryData<int, int, int> Shapes => new() { { 20, 18, 17 }, { 10, 12, 9 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OutputHasTheInputsShapeAndIsAProbability(int x, int y, int z)
    {
        var shape = new Shape3(x, y, z);
        var inferer = new SlidingWindowInferer(TinyNets.Random(), CPU, new InferenceOptions(TinyNets.Window()));
        var result = inferer.Segment(TinyNets.Image(shape), shape);
        Assert.Equal(shape, result.Shape);
        Assert.Equal(shape.Count, result.Probability.Length);
        Assert.Equal(shape.Count, result.Mask.Length);
        Assert.All(result.Probability, p => Assert.InRange(p, 0f, 1f));
        for (var i = 0; i < result.Mask.Length; i++) Assert.Equal(result.Probability[i] > 0.5f ? 1 : 0, result.Mask[i]);
    }

    [Theory]
    [InlineData(2f, 1)]
    [InlineData(-2f, 0)]
    public void ConstantNetworkGivesConstantMaskWhateverTheOptions(float logit, int expectedMask)
    {
        var shape = new Shape3(20, 18, 17);
        var expected = 1 / (1 + MathF.Exp(-logit));
        var image = TinyNets.Image(shape);
        var variants = new[]
        {
            new InferenceOptions(TinyNets.Window()),
            new InferenceOptions(TinyNets.Window(weighting: WindowWeighting.Gaussian)),
            new InferenceOptions(TinyNets.Window(windowsPerBatch: 3), FlipTta: true),
            new InferenceOptions(TinyNets.Window(), BothDecoders: true, LargestComponent: true),
        };
        foreach (var options in variants)
        {
            var result = new SlidingWindowInferer(TinyNets.Constant(logit), CPU, options).Segment(image, shape);
            Assert.All(result.Probability, p => Assert.Equal(expected, p, 1e-6f));
            Assert.All(result.Mask, m => Assert.Equal(expected: expectedMask, m));
        }
    }

    [Fact]
    public void WindowBatchSizeDoesNotChangeTheResult()
    {
        var shape = new Shape3(20, 18, 17);
        var image = TinyNets.Image(shape);
        var net = TinyNets.Random();
        var one = new SlidingWindowInferer(net, CPU, new InferenceOptions(TinyNets.Window(1))).Segment(image, shape);
        var four = new SlidingWindowInferer(net, CPU, new InferenceOptions(TinyNets.Window(4))).Segment(image, shape);
        for (var i = 0; i < one.Probability.Length; i++) Assert.Equal(one.Probability[i], four.Probability[i], 1e-5f);
    }

    [Fact]
    public void ValidationEvalAndTheLibrarySendSeveralWindowsPerCallByDefault()
    {
        // One window per call sends a small network's convolutions to libtorch's slow native path (SlidingWindowOptions).
        Assert.True(SlidingWindowOptions.DefaultWindowsPerBatch > 1);
        Assert.Equal(SlidingWindowOptions.DefaultWindowsPerBatch, new SlidingWindowOptions(TinyNets.Patch, TinyNets.Patch).WindowsPerBatch);
        Assert.Equal(SlidingWindowOptions.DefaultWindowsPerBatch, TrainingOptions.For(TrainingPreset.La, "data", "run").Window.WindowsPerBatch);
        Assert.Equal(SlidingWindowOptions.DefaultWindowsPerBatch, new SegmenterOptions().WindowsPerBatch);
    }

    [Fact]
    public void OneWindowGivesExactlyTheFullForwardsDecoder1Probability()
    {
        // The volume is exactly one patch: the prediction is the window's softmax, uncut and unaveraged.
        var shape = TinyNets.Patch;
        var image = TinyNets.Image(shape);
        var net = TinyNets.Random();
        var result = new SlidingWindowInferer(net, CPU, new InferenceOptions(TinyNets.Window())).Segment(image, shape);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.eval();
        var logits = net.forward(tensor(image, [1, 1, shape.X, shape.Y, shape.Z])).Decoder1.Seg;
        var expected = logits.softmax(1)[0, InferenceOptions.ForegroundClass].contiguous().data<float>().ToArray();
        Assert.Equal(expected, result.Probability);
    }

    [Fact]
    public void FlipTtaOfAWindowEqualsTheMeanOfTheMirroredPredictions()
    {
        // The volume is exactly one patch, so there is one window and TTA is just the flip average.
        var shape = TinyNets.Patch;
        var image = TinyNets.Image(shape);
        var net = TinyNets.Random();
        var plain = Segment(net, image, shape, tta: false);
        var tta = Segment(net, image, shape, tta: true);
        var expected = (float[])plain.Clone();
        foreach (var axis in new[] { 0, 1, 2 })
        {
            var mirrored = Segment(net, Flip(image, shape, axis), shape, tta: false);
            var back = Flip(mirrored, shape, axis);
            for (var i = 0; i < expected.Length; i++) expected[i] += back[i];
        }
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i] / 4, tta[i], 1e-5f);
    }

    [Fact]
    public void PatchThatTheNetworkCannotHalveFourTimesIsRejected()
    {
        var options = new InferenceOptions(new SlidingWindowOptions(new Shape3(16, 16, 20), new Shape3(8, 8, 8)));
        var e = Assert.Throws<PmcmException>(() => new SlidingWindowInferer(TinyNets.Random(), CPU, options));
        Assert.Contains("multiple of 16", e.Message);
    }

    private static float[] Segment(PmcmNet net, float[] image, Shape3 shape, bool tta) =>
        new SlidingWindowInferer(net, CPU, new InferenceOptions(TinyNets.Window(), FlipTta: tta)).Segment(image, shape).Probability;

    private static float[] Flip(float[] data, Shape3 shape, int axis)
    {
        var result = new float[data.Length];
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        for (var z = 0; z < shape.Z; z++)
        {
            var (fx, fy, fz) = axis switch { 0 => (shape.X - 1 - x, y, z), 1 => (x, shape.Y - 1 - y, z), _ => (x, y, shape.Z - 1 - z) };
            result[shape.Index(fx, fy, fz)] = data[shape.Index(x, y, z)];
        }
        return result;
    }
}
