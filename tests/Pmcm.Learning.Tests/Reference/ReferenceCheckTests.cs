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
        Assert.True(report.Pass);
    }
}
