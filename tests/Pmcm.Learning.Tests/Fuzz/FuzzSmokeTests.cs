using Pmcm.Fuzz;

namespace Pmcm.Learning.Tests.Fuzz;

/// <summary>
/// A few hundred mutated inputs per reader (seconds in all); the long campaign is tests/Fuzz/run-campaign.sh.
/// Every input must give a value or a short printable <see cref="Core.PmcmException"/>, within the allocation bound.
/// </summary>
public class FuzzSmokeTests
{
    public static TheoryData<string> AllTargets() => [.. Targets.Names];

    [Theory]
    [MemberData(nameof(AllTargets))]
    public void Mutated_inputs_give_a_value_or_a_clear_error(string name)
    {
        var work = Directory.CreateTempSubdirectory("pmcm-fuzz-smoke-").FullName;
        try
        {
            var findings = Path.Combine(work, "findings");
            var result = new Campaign(Targets.Create(name, work), seed: 11, findings).Run(TimeSpan.FromSeconds(3), maxExecutions: 300);
            Assert.True(result.Executions >= 50, $"only {result.Executions} executions");
            // Every seed is a valid file from Pmcm's own writers, and mutations must also produce clear errors.
            Assert.True(result.Values >= 1 && result.ClearErrors >= 1, result.ToJson());
            Assert.True(result.Findings == 0, result.ToJson());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
