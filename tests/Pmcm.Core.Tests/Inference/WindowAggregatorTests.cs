using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Inference;

public class WindowAggregatorTests
{
    [Fact]
    public void Count_map_of_the_la_grid_matches_hand_counts()
    {
        var volume = new Shape3(160, 140, 88);
        var plan = WindowPlan.Create(volume, new Shape3(112, 112, 80), new Shape3(18, 18, 4));
        var aggregator = new WindowAggregator(plan, []);
        Assert.Equal(1, aggregator.WeightAt(0, 0, 0));
        Assert.Equal(4 * 3 * 3, aggregator.WeightAt(50, 30, 8));   // every window covers (50, 30, 8)
        Assert.Equal(1, aggregator.WeightAt(159, 139, 87));        // only the last window of each axis
        Assert.Equal(2 * 2 * 2, aggregator.WeightAt(20, 20, 5));   // X: 0, 18; Y: 0, 18; Z: 0, 4
    }

    [Theory]
    [InlineData(23, 17, 9, 8, 8, 6, 3, 5, 2)]   // larger than the patch, last windows flush with the end
    [InlineData(5, 17, 3, 8, 8, 6, 3, 3, 2)]    // smaller than the patch in X and Z: windows overhang on both sides
    [InlineData(30, 9, 11, 6, 4, 5, 6, 4, 5)]   // stride equal to the patch: no overlap but the last window
    public void Derived_window_counts_equal_counting_every_window(int vx, int vy, int vz, int px, int py, int pz, int sx, int sy, int sz)
    {
        var volume = new Shape3(vx, vy, vz);
        var patch = new Shape3(px, py, pz);
        var plan = WindowPlan.Create(volume, patch, new Shape3(sx, sy, sz));
        var counted = new int[volume.Count];
        for (var w = 0; w < plan.Count; w++)
        {
            var o = plan.VolumeOrigin(w);
            for (var x = Math.Max(0, o.X); x < Math.Min(vx, o.X + px); x++)
            for (var y = Math.Max(0, o.Y); y < Math.Min(vy, o.Y + py); y++)
            for (var z = Math.Max(0, o.Z); z < Math.Min(vz, o.Z + pz); z++)
                counted[volume.Index(x, y, z)]++;
        }
        var aggregator = new WindowAggregator(plan, []);
        for (var x = 0; x < vx; x++)
        for (var y = 0; y < vy; y++)
        for (var z = 0; z < vz; z++)
            Assert.Equal(counted[volume.Index(x, y, z)], aggregator.WeightAt(x, y, z));
    }

    [Fact]
    public void Windows_hanging_into_the_padding_count_only_inside_the_volume()
    {
        // X: 2 voxels in a patch of 4, so one voxel of padding on each side; Z: 3 voxels, windows of 2 at 0 and 1.
        var plan = WindowPlan.Create(new Shape3(2, 1, 3), new Shape3(4, 1, 2), new Shape3(1, 1, 1));
        var aggregator = new WindowAggregator(plan, []);
        aggregator.Add(0, [100, 100, 1, 2, 3, 4, 100, 100]);   // patch X = 0 and 3 lie in the padding
        aggregator.Add(1, [100, 100, 5, 6, 7, 8, 100, 100]);
        // (x, z): (0, 0) 1; (0, 1) (2 + 5)/2; (0, 2) 6; (1, 0) 3; (1, 1) (4 + 7)/2; (1, 2) 8.
        Assert.Equal([1f, 3.5f, 6f, 3f, 5.5f, 8f], aggregator.Average());
    }

    [Fact]
    public void Weighted_average()
    {
        var plan = WindowPlan.Create(new Shape3(3, 1, 1), new Shape3(2, 1, 1), new Shape3(1, 1, 1));
        var aggregator = new WindowAggregator(plan, [1f, 3f]);
        aggregator.Add(0, [9f, 5f]);
        aggregator.Add(1, [1f, 2f]);
        // voxel 0: 9; voxel 1: (3·5 + 1·1)/4; voxel 2: 2 (its only weight is 3, which cancels).
        Assert.Equal(4f, aggregator.WeightAt(1, 0, 0));
        Assert.Equal([9f, 4f, 2f], aggregator.Average());
    }

    [Fact]
    public void Every_window_exactly_once_then_averaged_once()
    {
        var plan = WindowPlan.Create(new Shape3(3, 1, 1), new Shape3(2, 1, 1), new Shape3(1, 1, 1));
        var aggregator = new WindowAggregator(plan, []);
        aggregator.Add(1, [1f, 1f]);
        Assert.Throws<InvalidOperationException>(() => aggregator.Add(1, [1f, 1f]));
        var missing = Assert.Throws<InvalidOperationException>(() => aggregator.Average());
        Assert.Contains("window 0", missing.Message);
        aggregator.Add(0, [1f, 1f]);
        Assert.Equal([1f, 1f, 1f], aggregator.Average());
        Assert.Throws<InvalidOperationException>(() => aggregator.Add(0, [1f, 1f]));
        Assert.Throws<InvalidOperationException>(() => aggregator.Average());
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowAggregator(plan, []).Add(2, [1f, 1f]));
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
