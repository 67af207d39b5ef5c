using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Inference;

public class WindowAggregatorTests
{
    [Fact]
    public void Count_map_of_the_la_grid_matches_hand_counts()
    {
        var volume = new Shape3(160, 140, 88);
        var patch = new Shape3(112, 112, 80);
        var plan = WindowPlan.Create(volume, patch, new Shape3(18, 18, 4));
        var aggregator = new WindowAggregator(volume);
        var ones = new float[patch.Count];
        for (var w = 0; w < plan.Count; w++) aggregator.Add(plan.VolumeOrigin(w), patch, ones);
        Assert.Equal(1, aggregator.WeightAt(0, 0, 0));
        Assert.Equal(4 * 3 * 3, aggregator.WeightAt(50, 30, 8));   // every window covers (50, 30, 8)
        Assert.Equal(1, aggregator.WeightAt(159, 139, 87));        // only the last window of each axis
        Assert.Equal(2 * 2 * 2, aggregator.WeightAt(20, 20, 5));   // X: 0, 18; Y: 0, 18; Z: 0, 4
    }

    [Fact]
    public void Weighted_average_and_overhanging_windows()
    {
        var volume = new Shape3(3, 1, 1);
        var patch = new Shape3(2, 1, 1);
        var aggregator = new WindowAggregator(volume);
        aggregator.Add(new Shape3Offset(-1, 0, 0), patch, [9f, 1f], [1f, 1f]);   // first voxel lies in the padding
        aggregator.Add(new Shape3Offset(0, 0, 0), patch, [3f, 5f], [3f, 1f]);
        aggregator.Add(new Shape3Offset(1, 0, 0), patch, [7f, 2f]);
        // voxel 0: (1·1 + 3·3)/4; voxel 1: (5·1 + 7·1)/2; voxel 2: 2.
        Assert.Equal([2.5f, 6f, 2f], aggregator.Average());
    }

    [Fact]
    public void Uncovered_voxels_are_a_bug_not_a_zero()
    {
        var aggregator = new WindowAggregator(new Shape3(3, 1, 1));
        aggregator.Add(new Shape3Offset(0, 0, 0), new Shape3(2, 1, 1), [1f, 1f]);
        Assert.Throws<InvalidOperationException>(() => aggregator.Average());
    }

    [Fact]
    public void Gaussian_map_peaks_at_the_centre_and_falls_off_with_sigma()
    {
        var patch = new Shape3(9, 17, 5);
        var map = GaussianImportance.Create(patch, 0.125);
        Assert.Equal(1f, map[patch.Index(4, 8, 2)]);
        // One sigma (17/8 voxels) along Y from the centre: exp(−1/2).
        var sigma = 17 * 0.125;
        Assert.Equal((float)Math.Exp(-Math.Pow(2 / sigma, 2) / 2), map[patch.Index(4, 10, 2)], 1e-6f);
        Assert.Equal(map[patch.Index(0, 0, 0)], map[patch.Index(8, 16, 4)]);
        Assert.All(map, v => Assert.InRange(v, GaussianImportance.MinimumWeight, 1f));
    }
}
