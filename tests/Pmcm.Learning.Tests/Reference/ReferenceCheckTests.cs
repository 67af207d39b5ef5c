using Pmcm.Learning.Reference;

namespace Pmcm.Learning.Tests.Reference;

public class ReferenceCheckTests
{
    [Fact]
    public void OneStepReproducesTheAuthorsCodeOnNf8Vectors()
    {
        var report = ReferenceCheck.Run(SharedData.Require("vectors/nf8"));
        foreach (var c in report.Comparisons.Where(c => !c.Pass))
            Console.WriteLine($"FAIL {c.Group} {c.Name}: ref {c.Reference} ours {c.Ours} err {c.Error}");
        Assert.Equal(2.8745334148406982, report.TotalLoss, 4);
        Assert.Contains(report.Comparisons, c => c.Group == "outputs");
        Assert.True(report.Comparisons.Count(c => c.Group.StartsWith("grads")) > 180);
        Assert.All(report.Comparisons, c => Assert.True(c.Pass, $"{c.Group}/{c.Name}: reference {c.Reference}, ours {c.Ours}, error {c.Error:E2} > {c.Tolerance:E0}"));
    }
}
