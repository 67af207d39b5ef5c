using Pmcm.Learning.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Losses;

/// <summary>Each docs/method.md loss term on tensors small enough to work out by hand.</summary>
public class LossTermTests
{
    private static double V(Tensor t) => t.to_type(ScalarType.Float64).item<double>();

    [Fact]
    public void RampupFollowsTheReferenceSchedule()
    {
        var ramp = RampSchedule.Reference;
        Assert.Equal(Math.Exp(-5), ramp.At(0), 12);
        Assert.Equal(Math.Exp(-5), ramp.At(149), 12);                 // t = iteration // 150
        Assert.Equal(Math.Exp(-5 * 0.5 * 0.5), ramp.At(3000), 12);    // vectors/README: 0.2865048
        Assert.Equal(1.0, ramp.At(6000), 12);
        Assert.Equal(1.0, ramp.At(15000), 12);
        var scaled = RampSchedule.Scaled(1000);                         // full weight at 40 % of the run
        Assert.Equal(10, scaled.IterationsPerStep);
        Assert.Equal(1.0, scaled.At(400), 12);
        Assert.True(scaled.At(399) < 1.0);
    }

    [Fact]
    public void DiceLossOnAHandWorkedPair()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new float[] { 0.9f, 0.2f, 0.6f, 0.0f });
        var y = tensor(new float[] { 1, 0, 1, 1 });
        // 1 − (2·1.5 + ε) / (1.7 + 3 + ε)
        Assert.Equal(1 - 3.0 / 4.7, V(SupervisedDiceLoss.Compute(p, y)), 6);
    }

    [Fact]
    public void SdfLossSupervisesOnlyChannelOneThroughTanh()
    {
        using var scope = NewDisposeScope();
        var sdf = zeros(new long[] { 1, 2, 1, 1, 2 });
        sdf[0, 0] = full(new long[] { 1, 1, 2 }, 100f);  // channel 0 is ignored
        sdf[0, 1, 0, 0, 0] = tensor(0.5f);
        var target = tensor(new float[] { 0, 1 }).reshape(1, 1, 1, 2);
        var expected = (Math.Pow(Math.Tanh(0.5), 2) + 1) / 2;
        Assert.Equal(expected, V(SdfLoss.Compute(sdf, target)), 6);
    }

    [Fact]
    public void KlDivergenceIsZeroForEqualDistributionsAndUsesZeroLogZero()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 0.25f, 0.75f, 0f, 1f });
        var kl = KlDivergence.Elementwise(a, a);
        Assert.All(kl.data<float>().ToArray(), v => Assert.True(Math.Abs(v) < 1e-6));
        var q = tensor(new float[] { 0.5f, 0.5f, 0.5f, 0.5f });
        var expected = 0.25 * Math.Log(0.25 / (0.5 + 1e-8)) + 0.75 * Math.Log(0.75 / (0.5 + 1e-8));
        Assert.Equal(expected, V(KlDivergence.Elementwise(a, q)[..2].sum()), 5);
        Assert.Equal(0.0, V(KlDivergence.Elementwise(a, q)[2]), 12);
    }

    [Fact]
    public void UncertaintyMaskMarksVoxelsWhereTheStudentIsLessCertain()
    {
        using var scope = NewDisposeScope();
        // (B=1, C=2, 3 voxels): student certain, equal, uncertain.
        var student = tensor(new float[] { 0.99f, 0.5f, 0.5f, 0.01f, 0.5f, 0.5f }).reshape(1, 2, 3);
        var teacher = tensor(new float[] { 0.6f, 0.5f, 0.9f, 0.4f, 0.5f, 0.1f }).reshape(1, 2, 3);
        var mask = PrototypicalMutualLearning.UncertaintyMask(student, teacher);
        Assert.Equal(new float[] { 0, 0, 1 }, mask.data<float>().ToArray());
    }

    [Fact]
    public void PrototypesAreMaskedFeatureMeansPerSampleAndClass()
    {
        using var scope = NewDisposeScope();
        // B=1, F=2, 4 voxels; hard prediction [0, 1, 1, 0].
        var features = tensor(new float[] { 1, 2, 3, 4, 10, 20, 30, 40 }).reshape(1, 2, 4);
        var hard = tensor(new long[] { 0, 1, 1, 0 }).reshape(1, 4);
        var p = PrototypicalMutualLearning.ClassPrototypes(features, hard, 2).data<float>().ToArray();
        var d = 2 + 1e-6;
        Assert.Equal(new[] { 5 / d, 50 / d, 5 / d, 50 / d }, p.Select(x => (double)x).ToArray(), new ToleranceComparer(1e-5));

        var hardNoOnes = zeros(1, 4, dtype: ScalarType.Int64);
        var q = PrototypicalMutualLearning.ClassPrototypes(features, hardNoOnes, 2).data<float>().ToArray();
        Assert.Equal(0f, q[2]); // an absent class gets a zero prototype, not a division by zero
    }

    [Fact]
    public void FusedPrototypeAveragesUnitPrototypesWithTheRampWeight()
    {
        using var scope = NewDisposeScope();
        var pl = tensor(new float[] { 3, 4, 0, 2 }).reshape(2, 2);
        var pu = tensor(new float[] { 0, 5, 1, 0 }).reshape(2, 2);
        var q = PrototypicalMutualLearning.FusedPrototype(pl, pu, 0.5).data<float>().ToArray();
        Assert.Equal(new[] { 0.6 / 1.5, (0.8 + 0.5) / 1.5, 0.5 / 1.5, 1 / 1.5 }, q.Select(x => (double)x).ToArray(), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void PrototypeMapIsTheCosineBetweenFeaturesAndPrototypes()
    {
        using var scope = NewDisposeScope();
        var features = tensor(new float[] { 1, 0, 1, 0, 1, 1 }).reshape(1, 2, 3); // voxels (1,0), (0,1), (1,1)
        var prototype = tensor(new float[] { 2, 0, 0, 3 }).reshape(2, 2);           // class 0 along x, class 1 along y
        var s = PrototypicalMutualLearning.PrototypeMap(features, prototype).data<float>().ToArray();
        var r = 1 / Math.Sqrt(2);
        Assert.Equal(new[] { 1, 0, r, 0, 1, r }, s.Select(x => (double)x).ToArray(), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void ReliabilityAndMutualCrossEntropyFollowSteps5And6()
    {
        using var scope = NewDisposeScope();
        var mask = tensor(new float[] { 1, 0 }).reshape(1, 2);
        var map = tensor(new float[] { 1, 0, 0, 1 }).reshape(1, 2, 2);
        var teacher = tensor(new float[] { 0.8f, 0.3f, 0.2f, 0.7f }).reshape(1, 2, 2);
        var r = PrototypicalMutualLearning.ReliabilityWeight(mask, map, teacher).data<float>().ToArray();
        Assert.Equal(1 - (0.04 + 0.04) / 2, r[0], 6);
        Assert.Equal(0, r[1]);

        var student = tensor(new float[] { 0.6f, 0.5f, 0.4f, 0.5f }).reshape(1, 2, 2);
        var hard = tensor(new long[] { 0, 1 }).reshape(1, 2);
        var loss = PrototypicalMutualLearning.MutualCrossEntropy(student, hard, tensor(r).reshape(1, 2), mask);
        // Cross-entropy of the probabilities taken as logits (the reference quirk), voxel 0 only, over Σm = 1.
        var ce0 = -Math.Log(Math.Exp(0.6) / (Math.Exp(0.6) + Math.Exp(0.4)));
        Assert.Equal(ce0 * r[0] / (1 + 1e-6), V(loss), 5);
    }

    [Fact]
    public void AlignmentRewardsMatchingClassPrototypes()
    {
        using var scope = NewDisposeScope();
        var pl = tensor(new float[] { 1, 0, 0, 1 }).reshape(2, 2);
        var aligned = PrototypicalMutualLearning.UnlabeledLabeledAlignment(pl, pl);
        // Rows [1, 0] with target 0: CE = log(1 + e^-1); mean over classes, then / C.
        Assert.Equal(Math.Log(1 + Math.Exp(-1)) / 2, V(aligned), 6);
        var swapped = PrototypicalMutualLearning.UnlabeledLabeledAlignment(pl, tensor(new float[] { 0, 1, 1, 0 }).reshape(2, 2));
        Assert.Equal(Math.Log(1 + Math.Exp(1)) / 2, V(swapped), 6);
    }

    [Fact]
    public void FeatureDiversityIsOneWhenOrthogonalAndTwoWhenEqual()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 0 }).reshape(1, 2, 1);
        var b = tensor(new float[] { 0, 1 }).reshape(1, 2, 1);
        Assert.Equal(1.0, V(FeatureDiversity.Compute(a, b)), 6);
        Assert.Equal(2.0, V(FeatureDiversity.Compute(a, a)), 6);
    }

    [Fact]
    public void DtcTermComparesTheSharpenedSdfWithProbabilities()
    {
        using var scope = NewDisposeScope();
        var probs = tensor(new float[] { 1, 0 });
        var sdf = tensor(new float[] { -0.5f, 0.5f });   // inside → sigmoid(750) ≈ 1, outside → ≈ 0
        Assert.True(V(DtcConsistency.Compute(probs, sdf)) < 1e-12);
        Assert.Equal(0.25, V(DtcConsistency.Compute(probs, zeros(2))), 6); // sigmoid(0) = 0.5: (0.5 − 1)² and (0.5 − 0)²
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
