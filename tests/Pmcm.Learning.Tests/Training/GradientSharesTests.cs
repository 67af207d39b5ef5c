using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Training;

// Seeds libtorch's global generator: must not run beside other tests that draw from it.
[Collection("Torch generator")]
public class GradientSharesTests
{
    [Fact]
    public void Each_part_gets_its_own_gradient_norm_cosine_and_projection_by_hand()
    {
        // θ = (a₀, a₁, b). Parts 3a₀, −a₀ and 4b have gradients (3,0,0), (−1,0,0), (0,0,4); the step is (2,0,4), ‖·‖² = 20.
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0f, 2.0f }).requires_grad_();
        var b = tensor(new[] { 3.0f }).requires_grad_();
        var parts = new Dictionary<string, Tensor> { ["x"] = 3 * a[0], ["w"] = -a[0], ["y"] = 4 * b.sum(), ["constant"] = tensor(5.0f) };

        var split = GradientShares.Of(parts, [a, b]);

        Assert.Equal(Math.Sqrt(20), split.TotalNorm, 1e-9);
        Assert.Equal(["x", "w", "y", "constant"], split.Parts.Select(p => p.Part));
        var (x, w, y, constant) = (split.Parts[0], split.Parts[1], split.Parts[2], split.Parts[3]);
        Assert.Equal((3.0, 6 / (3 * Math.Sqrt(20)), 0.3), (x.Norm, x.Cosine, x.Share), Tolerance);
        Assert.Equal((1.0, -2 / Math.Sqrt(20), -0.1), (w.Norm, w.Cosine, w.Share), Tolerance);
        Assert.Equal((4.0, 16 / (4 * Math.Sqrt(20)), 0.8), (y.Norm, y.Cosine, y.Share), Tolerance);
        Assert.Equal((0.0, 0.0, 0.0), (constant.Norm, constant.Cosine, constant.Share), Tolerance);
    }

    private static readonly TupleComparer Tolerance = new(1e-6);

    private sealed class TupleComparer(double tolerance) : IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) p, (double, double, double) q) =>
            Math.Abs(p.Item1 - q.Item1) <= tolerance && Math.Abs(p.Item2 - q.Item2) <= tolerance && Math.Abs(p.Item3 - q.Item3) <= tolerance;

        public int GetHashCode((double, double, double) value) => 0;
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void The_parts_of_the_PMCM_loss_sum_to_its_total_and_their_gradients_to_its_gradient(bool useCml, bool fused)
    {
        set_num_threads(1);
        var loss = PmcmLossOptions.La with { UseCml = useCml, FusedKernels = fused };
        var (step, model) = TinyPmcm.Create(loss: loss, dropout: 0);
        using var scope = NewDisposeScope();
        var batch = TinyPmcm.Batch();
        const long iteration = 6000; // full ramp: every unsupervised part has weight

        var terms = step.Losses(batch, iteration);
        string[] expected = useCml
            ? [PmcmLossParts.Dice, PmcmLossParts.Sdf, PmcmLossParts.Diversity, PmcmLossParts.Task, PmcmLossParts.Cycles, PmcmLossParts.Pml, PmcmLossParts.Ual]
            : [PmcmLossParts.Dice, PmcmLossParts.Sdf, PmcmLossParts.Diversity, PmcmLossParts.Pml, PmcmLossParts.Ual];
        Assert.Equal(expected, terms.Parts.Keys);
        var sum = terms.Parts.Values.Select(PmcmStep.Value).Sum();
        Assert.Equal(PmcmStep.Value(terms.Total), sum, 1e-5 * Math.Abs(sum));

        var parameters = model.parameters().Select(p => (Tensor)p).ToList();
        var split = GradientShares.Of(terms.Parts, parameters);
        Assert.Equal(1.0, split.Parts.Sum(p => p.Share), 1e-9);
        Assert.All(split.Parts, p => Assert.InRange(p.Cosine, -1 - 1e-9, 1 + 1e-9));

        // The graph was kept: the total still back-propagates, and its gradient is the sum the split used.
        terms.Total.backward();
        Assert.Equal(GradientNorm.Of(model.parameters().ToList()), split.TotalNorm, 1e-4 * split.TotalNorm);
        Assert.True(split.Parts.First(p => p.Part == PmcmLossParts.Dice).Norm > 0);
    }
}
