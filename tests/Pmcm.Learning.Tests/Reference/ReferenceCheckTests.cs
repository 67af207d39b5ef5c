using Pmcm.Learning.Reference;

namespace Pmcm.Learning.Tests.Reference;

public class ReferenceCheckTests
{
    [Fact]
    public void OneStepReproducesTheAuthorsCodeOnNf8Vectors()
    {
        var report = ReferenceCheck.Run(SharedData.Require("vectors/nf8"));

        Assert.Equal(2.8745334148406982, report.TotalLoss, 5);
        Assert.Equal(4, report.Comparisons.Count(c => c.Group == "outputs"));
        Assert.Equal(188, report.Comparisons.Count(c => c.Group.StartsWith("grads", StringComparison.Ordinal)));
        // Every logged term and weight is reproduced to the fixed 1e-4, never by the conditioning rule.
        Assert.All(report.Comparisons.Where(c => c.Group is "terms" or "total" or "outputs"),
            c => Assert.True(c.Error <= 1e-4, $"{c.Group}/{c.Name}: reference {c.Reference}, ours {c.Ours}, error {c.Error:E2}"));
        Assert.All(report.Comparisons, c => Assert.True(c.Pass, $"{c.Group}/{c.Name}: reference {c.Reference}, ours {c.Ours}, error {c.Error:E2} > {c.Tolerance:E2}"));
        // Most gradients meet the fixed tolerance outright; only ill-conditioned ones need the float64 judgement.
        Assert.True(report.Comparisons.Count(c => c.Measure.EndsWith("/cond", StringComparison.Ordinal)) < 25);
        // The conv bias before each mapping net's BatchNorm gets zero gradient in exact arithmetic: the fused float64
        // sums keep it at float64 rounding, far below the reference's own float32 noise (1.6e-6 on this step).
        Assert.All(report.Comparisons.Where(c => c.Group.StartsWith("grads/", StringComparison.Ordinal) && c.Group.EndsWith("_map", StringComparison.Ordinal) && c.Name == "map.0.bias"),
            c => Assert.True(c.Ours < 1e-9, $"{c.Group}/{c.Name}: norm {c.Ours:E2}"));
        Assert.True(report.Pass);
    }
}
