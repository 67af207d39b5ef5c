using Pmcm.Core;
using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Tests.Inference;
using Pmcm.Learning.Tests.Training;
using Pmcm.Learning.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Networks;

/// <summary>
/// bf16 compute with float32 master weights: the same weights give nearly the same loss and gradients in either
/// precision, everything that is kept (parameters, gradients, BatchNorm statistics, checkpoints) stays float32,
/// and checkpoints move freely between the precisions. Tolerances are bf16's: an 8-bit significand rounds each
/// activation by up to 2⁻⁹ ≈ 0.2 %, and a few layers of that give errors of about one per cent.
/// </summary>
public class MixedPrecisionTests
{
    /// <summary>
    /// The loss agrees to bf16's resolution. The gradient of a small randomly initialised network is itself very
    /// sensitive (BatchNorm over few values at the deep levels): merely rounding its float32 weights to bf16 moves
    /// the float32 gradient by tens of per cent. So the bf16 step is held to that yardstick: its gradient error
    /// must stay within twice the error that bf16-rounded weights cause in a float32 step (measured: 1.2×).
    /// </summary>
    [Fact]
    public void Bf16_step_loss_and_gradients_are_close_to_the_fp32_step()
    {
        using var scope = NewDisposeScope();
        var (step, model) = TinyPmcm.Create(nFilters: 2, dropout: 0);
        var batch = TinyPmcm.Batch(side: 32);

        var (fp32Loss, fp32Gradient, fp32Head) = LossAndGradient(step, model, batch, Precision.Fp32);
        var (bf16Loss, bf16Gradient, bf16Head) = LossAndGradient(step, model, batch, Precision.Bf16);
        using (no_grad())
            foreach (var parameter in model.parameters()) parameter.copy_(parameter.to_type(ScalarType.BFloat16).to_type(ScalarType.Float32));
        var (_, roundedWeightsGradient, _) = LossAndGradient(step, model, batch, Precision.Fp32);

        Assert.Equal(fp32Loss, bf16Loss, fp32Loss * 0.005);
        var bf16Error = RelativeError(fp32Gradient, bf16Gradient);
        var roundingError = RelativeError(fp32Gradient, roundedWeightsGradient);
        Assert.InRange(roundingError, 1e-3, 1);
        Assert.InRange(bf16Error, 1e-3, 2 * roundingError);
        // The heads see the least amplification: decoder 1's last block's gradient is within a few per cent.
        Assert.InRange(RelativeError(fp32Head, bf16Head), 0, 0.05);
    }

    [Fact]
    public void Bf16_training_keeps_weights_gradients_statistics_and_outputs_in_fp32()
    {
        using var scope = NewDisposeScope();
        var (step, model) = TinyPmcm.Create(nFilters: 2, dropout: 0);
        model.Precision = Precision.Bf16;
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var runningMeans = model.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)).ToList();
        var meansBefore = runningMeans.Select(b => b.buffer.clone()).ToList();

        var result = step.ForwardBackward(TinyPmcm.Batch(), iteration: 100);
        foreach (var output in result.Outputs.Both())
        {
            Assert.Equal(ScalarType.Float32, output.Seg.dtype);
            Assert.Equal(ScalarType.Float32, output.Sdf!.dtype);
            Assert.Equal(ScalarType.Float32, output.Features.dtype);
        }
        step.OptimizerStep();

        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.Equal(ScalarType.Float32, parameter.grad!.dtype);
            Assert.False(Same(parameter, before[name]), $"{name} was not updated");
        }
        Assert.NotEmpty(runningMeans);
        for (var i = 0; i < runningMeans.Count; i++)
        {
            Assert.Equal(ScalarType.Float32, runningMeans[i].buffer.dtype);
            Assert.False(Same(runningMeans[i].buffer, meansBefore[i]), $"{runningMeans[i].name} was not updated");
        }
    }

    [Fact]
    public void A_bf16_trained_checkpoint_is_a_plain_fp32_state_dict_that_predicts_in_either_precision()
    {
        using var temp = new TempDir();
        using var scope = NewDisposeScope();
        var (step, model) = TinyPmcm.Create(nFilters: 2, dropout: 0);
        model.Precision = Precision.Bf16;
        step.Train(TinyPmcm.Batch(), iteration: 0);
        var path = temp.File("bf16.pth");
        PyTorchStateDict.Save(model, path);

        var saved = PyTorchStateDict.Read(path);
        Assert.All(saved.Where(kv => kv.Key.EndsWith("weight", StringComparison.Ordinal) || kv.Key.Contains("running_", StringComparison.Ordinal)),
            kv => Assert.Equal(ScalarType.Float32, kv.Value.dtype));

        // Loaded into a fresh fp32 network, the weights are the trained ones bit for bit.
        using var loaded = TinyNets.Random(seed: 11);
        PyTorchStateDict.Load(loaded, path);
        Assert.Equal(Precision.Fp32, loaded.Precision);
        foreach (var ((name, a), (_, b)) in model.named_parameters().Zip(loaded.named_parameters()))
            Assert.True(Same(a, b), name);

        // Sliding-window probabilities of the two precisions agree to bf16's resolution and give nearly the same mask.
        var shape = new Shape3(20, 18, 17);
        var image = TinyNets.Image(shape);
        var fp32 = new SlidingWindowInferer(loaded, CPU, new InferenceOptions(TinyNets.Window())).Segment(image, shape);
        var bf16 = SegmentInBf16(loaded, image, shape);
        var maxDifference = fp32.Probability.Zip(bf16.Probability, (x, y) => Math.Abs(x - y)).Max();
        Assert.InRange(maxDifference, 1e-6, 0.03);
        var disagreements = fp32.Mask.Zip(bf16.Mask).Count(m => m.First != m.Second);
        Assert.InRange(disagreements, 0, shape.Count / 100);
    }

    [Fact]
    public void An_fp32_network_switched_to_bf16_and_back_predicts_exactly_as_before()
    {
        using var scope = NewDisposeScope();
        using var net = TinyNets.Random();
        net.eval();
        using var noGrad = no_grad();
        var input = randn(new long[] { 2, 1, 16, 16, 16 });
        var before = net.forward(input).Decoder1.Seg.clone();
        net.Precision = Precision.Bf16;
        var bf16 = net.forward(input).Decoder1.Seg;
        net.Precision = Precision.Fp32;
        var after = net.forward(input).Decoder1.Seg;

        Assert.True(Same(before, after));
        Assert.False(Same(before, bf16));
        Assert.True(before.allclose(bf16, rtol: 0.05, atol: 0.05));
    }

    [Theory]
    [InlineData("fpu sse2 avx512f avx512_bf16 avx512_vnni", true)]
    [InlineData("fpu sse2 avx512f amx_bf16 amx_tile", true)]
    [InlineData("fpu sse2 avx2 avx512f avx512bw", false)]
    [InlineData("", false)]
    public void Bf16_is_refused_on_a_cpu_without_native_bf16_dot_products(string cpuFlags, bool supported)
    {
        Precisions.RequireSupported(Precision.Fp32, CPU, cpuFlags);
        var error = Record.Exception(() => Precisions.RequireSupported(Precision.Bf16, CPU, cpuFlags));
        if (supported) Assert.Null(error);
        else Assert.Equal("--precision bf16 needs a CPU with native bf16 dot products (AVX512_BF16 or AMX-BF16), and this one has neither; use --precision fp32",
            Assert.IsType<PmcmException>(error).Message);
    }

    [Theory]
    [InlineData("fp32", new[] { Precision.Fp32 })]
    [InlineData("BF16", new[] { Precision.Bf16 })]
    [InlineData("fp32, bf16,fp32", new[] { Precision.Fp32, Precision.Bf16 })]
    public void Precision_lists_parse(string text, Precision[] expected) => Assert.Equal(expected, Precisions.ParseList(text));

    [Theory]
    [InlineData("fp16")]
    [InlineData(",")]
    public void Unknown_precisions_are_clear_errors(string text) =>
        Assert.Matches("precision|fp32", Assert.Throws<PmcmException>(() => Precisions.ParseList(text)).Message);

    /// <summary>The total loss, the whole network's gradient and that of decoder 1's last block.</summary>
    private static (double Loss, Tensor Gradient, Tensor Head) LossAndGradient(PmcmStep step, PmcmNet model, BatchTensors batch, Precision precision)
    {
        model.Precision = precision;
        manual_seed(5);
        var result = step.ForwardBackward(batch, iteration: 100);
        Tensor Flat(IEnumerable<(string name, Parameter parameter)> parameters) =>
            cat(parameters.Select(p => p.parameter.grad!.detach().flatten().clone()).ToArray());
        var all = model.named_parameters().ToList();
        return (PmcmStep.Value(result.Terms.Total), Flat(all), Flat(all.Where(p => p.name.StartsWith("decoder1.block_nine.", StringComparison.Ordinal))));
    }

    private static double RelativeError(Tensor expected, Tensor actual) => ((expected - actual).norm() / expected.norm()).item<float>();

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static SlidingWindowResult SegmentInBf16(PmcmNet net, float[] image, Shape3 shape) =>
        new SlidingWindowInferer(net, CPU, new InferenceOptions(TinyNets.Window(), Precision: Precision.Bf16)).Segment(image, shape);
}
