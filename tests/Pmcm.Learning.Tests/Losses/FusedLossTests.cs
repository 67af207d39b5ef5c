using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;
using Pmcm.Learning.Losses.Fused;
using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Losses;

/// <summary>
/// The fused loss kernels against the autograd composition of the per-term functions: values and every gradient,
/// in float32 (same inputs) and against the composition evaluated in float64. Voxel counts are not multiples of 16,
/// so the kernels' partial last vectors are exercised; inputs are checked to have no near-ties in the argmax or the
/// uncertainty mask, where float32 rounding may legitimately decide differently.
/// </summary>
public class FusedLossTests
{
    private const int Items = 4;
    private const int Classes = 2;
    private const int Channels = 5;
    private static readonly long[] Voxels = [7, 6, 5];

    private sealed record Inputs(Tensor Seg1, Tensor Seg2, Tensor Features1, Tensor Features2)
    {
        public Tensor[] All => [Seg1, Seg2, Features1, Features2];
    }

    private static Inputs RandomInputs(long seed)
    {
        manual_seed(seed);
        long[] seg = [Items, Classes, .. Voxels];
        long[] features = [Items, Channels, .. Voxels];
        // Decoder-like features: ReLU'd, mostly positive, with some exact zeros.
        return new Inputs(Logits(seg, 0), Logits(seg, 0.01), (randn(features) + 0.5).relu(), (randn(features) + 0.5).relu());
    }

    /// <summary>
    /// Logits whose class margin |l₁ − l₀| lies on a grid of step 0.02 shifted by <paramref name="offset"/>: decoders
    /// built with different offsets never have equal margins (so never equal entropies), and no margin is near 0.
    /// </summary>
    private static Tensor Logits(long[] shape, double offset)
    {
        var background = randn([shape[0], 1, .. shape[2..]]);
        var margin = ((rand_like(background) * 150).floor() * 0.02 + 0.03 + offset) * (2 * randint_like(background, 0, 2) - 1);
        return cat([background, background + margin], 1);
    }

    /// <summary>Leaf copies in the requested type, so each evaluation has its own gradients.</summary>
    private static Tensor[] Leaves(Inputs inputs, ScalarType type) =>
        inputs.All.Select(t => t.detach().to_type(type).requires_grad_()).ToArray();

    private static (double Pml, double Ual, Tensor[] Gradients) Pml(Inputs inputs, ScalarType type, bool fused, bool correctCrossEntropy)
    {
        var leaves = Leaves(inputs, type);
        var decoders = new[] { new DecoderOutput(leaves[0], null, leaves[2]), new DecoderOutput(leaves[1], null, leaves[3]) };
        var probs = decoders.Select(d => d.Seg.softmax(1)).ToArray();
        var (pml, ual) = fused
            ? FusedPrototypicalMutualLearning.BothWays(FusedDecoderFeatures.Compute(decoders, probs), decoders, probs, Items / 2, 0.3, correctCrossEntropy)
            : PrototypicalMutualLearning.BothWays(decoders, probs, Items / 2, 0.3, correctCrossEntropy);
        (1.5 * pml + 0.7 * ual).backward();
        return (Value(pml), Value(ual), leaves.Select(l => l.grad!.to_type(ScalarType.Float64)).ToArray());
    }

    private static double Value(Tensor t) => t.to_type(ScalarType.Float64).item<double>();

    /// <summary>|a − b| / |b| over the whole tensor (b the reference).</summary>
    private static double RelativeError(Tensor a, Tensor b) => Value((a - b).norm()) / Value(b.norm());

    private static void AssertNoNearTies(Inputs inputs)
    {
        var probs = new[] { inputs.Seg1.softmax(1), inputs.Seg2.softmax(1) };
        foreach (var p in probs) Assert.True(Value((p[.., 0] - p[.., 1]).abs().min()) > 1e-4, "argmax near-tie");
        var entropy = probs.Select(PrototypicalMutualLearning.Entropy).ToArray();
        Assert.True(Value((entropy[0] - entropy[1]).abs().min()) > 1e-5, "uncertainty-mask near-tie");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PmlMatchesTheCompositionInValueAndGradients(bool correctCrossEntropy)
    {
        using var scope = NewDisposeScope();
        var inputs = RandomInputs(11);
        AssertNoNearTies(inputs);
        var composed = Pml(inputs, ScalarType.Float32, fused: false, correctCrossEntropy);
        var fused = Pml(inputs, ScalarType.Float32, fused: true, correctCrossEntropy);
        var exact = Pml(inputs, ScalarType.Float64, fused: false, correctCrossEntropy);

        Assert.True(composed.Pml > 0.1 && composed.Ual > 0.1); // the terms are not trivially zero on these inputs
        Assert.Equal(composed.Pml, fused.Pml, 1e-5 * composed.Pml);
        Assert.Equal(composed.Ual, fused.Ual, 1e-5 * composed.Ual);
        Assert.Equal(exact.Pml, fused.Pml, 1e-5 * exact.Pml);
        Assert.Equal(exact.Ual, fused.Ual, 1e-5 * exact.Ual);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(Value(exact.Gradients[i].norm()) > 1e-4, $"input {i} receives a gradient");
            Assert.True(RelativeError(fused.Gradients[i], composed.Gradients[i]) < 1e-5, $"input {i} against the float32 composition");
            Assert.True(RelativeError(fused.Gradients[i], exact.Gradients[i]) < 1e-5, $"input {i} against the float64 composition");
        }
    }

    [Fact]
    public void PmlReachesTheFeaturesOnlyThroughTheAlignmentsPrototypes()
    {
        using var scope = NewDisposeScope();
        var inputs = RandomInputs(12);
        var leaves = Leaves(inputs, ScalarType.Float32);
        var decoders = new[] { new DecoderOutput(leaves[0], null, leaves[2]), new DecoderOutput(leaves[1], null, leaves[3]) };
        var probs = decoders.Select(d => d.Seg.softmax(1)).ToArray();
        var (pml, _) = FusedPrototypicalMutualLearning.BothWays(FusedDecoderFeatures.Compute(decoders, probs), decoders, probs, Items / 2, 0.3, correctCrossEntropy: false);
        pml.backward();
        // r is detached: L_pml moves the logits but never the features.
        Assert.True(Value(leaves[0].grad!.norm()) > 1e-4);
        Assert.True(leaves[2].grad is null || Value(leaves[2].grad!.norm()) == 0);
    }

    private static Tensor MeanCosine(Tensor[] leaves)
    {
        var decoders = new[] { new DecoderOutput(leaves[0], null, leaves[2]), new DecoderOutput(leaves[1], null, leaves[3]) };
        return FusedDecoderFeatures.Compute(decoders, decoders.Select(d => d.Seg.softmax(1)).ToArray()).MeanCosine;
    }

    [Fact]
    public void MeanCosineMatchesTheCompositionInValueAndGradients()
    {
        using var scope = NewDisposeScope();
        var inputs = RandomInputs(13);
        inputs.Features1[0, .., 0, 0, 0] = zeros(Channels); // a voxel below the cosine's ε: the clamped branch
        (double Value, Tensor[] Gradients) Run(ScalarType type, bool fused)
        {
            var leaves = Leaves(inputs, type);
            var mean = fused ? MeanCosine(leaves) : FeatureDiversity.Cosine(leaves[2], leaves[3]).mean();
            (3 * mean).backward();
            return (FusedLossTests.Value(mean), [leaves[2].grad!.to_type(ScalarType.Float64), leaves[3].grad!.to_type(ScalarType.Float64)]);
        }
        var composed = Run(ScalarType.Float32, fused: false);
        var fusedRun = Run(ScalarType.Float32, fused: true);
        var exact = Run(ScalarType.Float64, fused: false);
        Assert.Equal(exact.Value, fusedRun.Value, 1e-6);
        Assert.Equal(composed.Value, fusedRun.Value, 1e-6);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(RelativeError(fusedRun.Gradients[i], composed.Gradients[i]) < 1e-5);
            Assert.True(RelativeError(fusedRun.Gradients[i], exact.Gradients[i]) < 1e-5);
        }
    }

    [Fact]
    public void MeanCosineGradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var inputs = RandomInputs(14);
        var leaves = Leaves(inputs, ScalarType.Float32);
        var (x, y) = (leaves[2], leaves[3].detach());
        MeanCosine([leaves[0], leaves[1], x, y]).backward();
        // Central differences of the float64 mean cosine at a few coordinates.
        var x64 = inputs.Features1.to_type(ScalarType.Float64);
        var y64 = y.to_type(ScalarType.Float64);
        foreach (var index in new long[][] { [0, 0, 1, 2, 3], [3, 4, 6, 5, 4], [2, 2, 3, 0, 1] })
        {
            const double h = 1e-6;
            double At(double delta)
            {
                var shifted = x64.clone();
                shifted[index[0], index[1], index[2], index[3], index[4]] += delta;
                return Value(FeatureDiversity.Cosine(shifted, y64).mean());
            }
            var numeric = (At(h) - At(-h)) / (2 * h);
            var analytic = Value(x.grad![index[0], index[1], index[2], index[3], index[4]]);
            Assert.Equal(numeric, analytic, 1e-6 + 1e-4 * Math.Abs(numeric));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FusedAndComposedPmcmLossAgreeOnEveryTermAndGradient(bool correctCrossEntropy)
    {
        using var scope = NewDisposeScope();
        var inputs = RandomInputs(16);
        AssertNoNearTies(inputs);
        manual_seed(17);
        long[] seg = [Items, Classes, .. Voxels];
        var sdfHeads = new[] { randn(seg), randn(seg) };
        var batch = new BatchTensors(zeros([Items, 1, .. Voxels]), randint(0, 2, [Items, .. Voxels]), rand([Items, .. Voxels]) - 0.5, Items / 2);
        var (segToSdf, sdfToSeg) = (new MappingNet(2, 8), new MappingNet(2, 8));
        (PmcmLossTerms Terms, Tensor[] Gradients) Run(bool fused)
        {
            var leaves = Leaves(inputs, ScalarType.Float32);
            var sdf = sdfHeads.Select(t => t.detach().clone().requires_grad_()).ToArray();
            var outputs = new SegmentationOutputs(new DecoderOutput(leaves[0], sdf[0], leaves[2]), new DecoderOutput(leaves[1], sdf[1], leaves[3]));
            var options = PmcmLossOptions.La with { FusedKernels = fused, CorrectPmlCrossEntropy = correctCrossEntropy };
            var terms = PmcmLoss.Compute(outputs, batch, segToSdf, sdfToSeg, 6000, options);
            terms.Total.backward();
            return (terms, [.. leaves.Concat(sdf).Select(l => l.grad!.detach().clone())]);
        }
        var composed = Run(fused: false);
        var fusedRun = Run(fused: true);
        Assert.Equal(composed.Terms.Terms.Keys.Order(), fusedRun.Terms.Terms.Keys.Order());
        foreach (var (name, term) in composed.Terms.Terms)
            Assert.True(Math.Abs(Value(term) - Value(fusedRun.Terms.Terms[name])) <= 1e-5 * Math.Max(1, Math.Abs(Value(term))), name);
        Assert.Equal(Value(composed.Terms.Total), Value(fusedRun.Terms.Total), 1e-5);
        for (var i = 0; i < composed.Gradients.Length; i++)
            Assert.True(RelativeError(fusedRun.Gradients[i], composed.Gradients[i]) < 1e-5, $"input {i}");
    }

    [Fact]
    public void OnlyFloat32CpuTensorsTakeTheFusedPath()
    {
        using var scope = NewDisposeScope();
        var inputs = RandomInputs(15);
        var decoders = new[] { new DecoderOutput(inputs.Seg1, null, inputs.Features1), new DecoderOutput(inputs.Seg2, null, inputs.Features2) };
        var probs = decoders.Select(d => d.Seg.softmax(1)).ToArray();
        Assert.True(FusedDecoderFeatures.Supports(decoders, probs));
        var doubles = decoders.Select(d => new DecoderOutput(d.Seg.to_type(ScalarType.Float64), null, d.Features.to_type(ScalarType.Float64))).ToArray();
        Assert.False(FusedDecoderFeatures.Supports(doubles, doubles.Select(d => d.Seg.softmax(1)).ToArray()));
    }
}
