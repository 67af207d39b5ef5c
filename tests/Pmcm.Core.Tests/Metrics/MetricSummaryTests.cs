using Pmcm.Core.Metrics;

namespace Pmcm.Core.Tests.Metrics;

public class MetricSummaryTests
{
    [Fact]
    public void Mean_and_population_std_over_cases()
    {
        var cases = new[]
        {
            new SegmentationScores(0.8, 0.6, 2, 1, false, false),
            new SegmentationScores(0.9, 0.8, 4, 3, false, false),
            new SegmentationScores(0, 0, 0, 0, true, false),
        };
        var s = MetricSummary.Of(cases);
        Assert.Equal(1.7 / 3, s.Dice.Mean, 1e-15);
        // np.std([0.8, 0.9, 0]) with ddof = 0
        var m = 1.7 / 3;
        Assert.Equal(Math.Sqrt(((0.8 - m) * (0.8 - m) + (0.9 - m) * (0.9 - m) + m * m) / 3), s.Dice.Std, 1e-15);
        Assert.Equal(2, s.Hd95.Mean, 1e-15);
        Assert.Equal(Math.Sqrt(8.0 / 3), s.Hd95.Std, 1e-15);
        Assert.Equal((3, 1, 0), (s.Cases, s.EmptyPredictions, s.EmptyReferences));
    }

    [Fact]
    public void Undefined_distances_of_empty_references_are_left_out()
    {
        var cases = new[]
        {
            new SegmentationScores(0.5, 0.4, 6, 2, false, false),
            new SegmentationScores(0, 0, double.NaN, double.NaN, false, true),
        };
        var s = MetricSummary.Of(cases);
        Assert.Equal(new Statistic(6, 0, 1), s.Hd95);
        Assert.Equal(new Statistic(0.25, 0.25, 2), s.Dice);
        Assert.Equal(1, s.EmptyReferences);
    }
}
