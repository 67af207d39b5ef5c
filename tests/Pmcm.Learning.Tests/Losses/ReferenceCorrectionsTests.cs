using Pmcm.Core;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Tests.Losses;

public class ReferenceCorrectionsTests
{
    [Fact]
    public void NoneByDefaultSoTheDefaultLossIsTheReferences()
    {
        var loss = TrainingOptions.For(TrainingPreset.La, "data", "run").Loss;
        Assert.False(loss.CorrectPmlCrossEntropy || loss.CorrectSdfCycle || loss.CorrectPmlRampIteration);
    }

    [Fact]
    public void EachNameSwitchesExactlyItsQuirkAndIsRecorded()
    {
        var options = TrainingOptions.For(TrainingPreset.Pancreas, "data", "run") with { Corrections = ReferenceCorrectionNames.Parse("pml-ce") };
        Assert.True(options.Loss.CorrectPmlCrossEntropy);
        Assert.False(options.Loss.CorrectSdfCycle || options.Loss.CorrectPmlRampIteration);
        // The preset's weights are kept.
        Assert.Equal(2.0, options.Loss.Pml);
        Assert.Equal(["pml-ce"], ReferenceCorrectionNames.Names(options.Corrections));

        var all = ReferenceCorrectionNames.Parse("all");
        Assert.Equal(["pml-ce", "sdf-cycle", "pml-ramp"], ReferenceCorrectionNames.Names(all));
        Assert.Equal(all, ReferenceCorrectionNames.Parse(" pml-ramp, SDF-cycle ,pml-ce"));
        Assert.Equal(ReferenceCorrections.None, ReferenceCorrectionNames.Parse("none"));
        Assert.Equal("none", ReferenceCorrectionNames.Format(ReferenceCorrections.None));
        Assert.Equal(all, ReferenceCorrectionNames.Parse(ReferenceCorrectionNames.Format(all)));
    }

    [Fact]
    public void AnUnknownNameIsRefusedNamingTheAllowedOnes()
    {
        var e = Assert.Throws<PmcmException>(() => ReferenceCorrectionNames.Parse("pml-ce,dice"));
        Assert.Contains("'dice'", e.Message);
        Assert.Contains("sdf-cycle", e.Message);
    }
}
