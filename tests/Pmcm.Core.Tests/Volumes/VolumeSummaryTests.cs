using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Volumes;

public class VolumeSummaryTests
{
    [Fact]
    public void Label_map_gets_range_mean_and_distinct_values()
    {
        var v = new Volume(new Shape3(1, 2, 3), [0, 2, 2, 0, 7, 1], type: VoxelType.UInt8);
        var s = VolumeSummary.Of(v);
        Assert.Equal((0.0, 7.0, 2.0), (s.Min, s.Max, s.Mean));
        Assert.Equal([0, 1, 2, 7], s.Labels!);
    }

    [Fact]
    public void Fractions_or_more_than_16_values_are_not_labels()
    {
        Assert.Null(VolumeSummary.Of(new Volume(new Shape3(1, 1, 2), [0, 0.5f])).Labels);
        var many = new Volume(new Shape3(1, 1, 17), Enumerable.Range(0, 17).Select(i => (float)i).ToArray());
        Assert.Null(VolumeSummary.Of(many).Labels);
        var sixteen = new Volume(new Shape3(1, 1, 16), Enumerable.Range(-8, 16).Select(i => (float)i).ToArray());
        Assert.Equal(Enumerable.Range(-8, 16), VolumeSummary.Of(sixteen).Labels!);
    }
}
