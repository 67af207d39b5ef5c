using Pmcm.Core.Metrics;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Metrics;

public class SegmentationMetricsTests
{
    private static readonly Shape3 Box = new(10, 10, 10);

    private static bool[] Cube(int x0, int y0, int z0, int side)
    {
        var mask = new bool[Box.Count];
        for (var x = x0; x < x0 + side; x++)
        for (var y = y0; y < y0 + side; y++)
        for (var z = z0; z < z0 + side; z++)
            mask[Box.Index(x, y, z)] = true;
        return mask;
    }

    [Fact]
    public void Cubes_offset_by_one_voxel()
    {
        // 3³ cubes at x 2..4 and 3..5: overlap 18, union 36. Each surface is the cube minus its centre (26 voxels).
        // pred → ref: the 9 voxels of face x = 2 and pred's (4,3,3) (ref's centre) are 1 away, the other 16 are 0.
        // Both directions together: 32 zeros, 20 ones; the 95th percentile (index 48.45) is 1.
        var s = SegmentationMetrics.Compute(Cube(2, 2, 2, 3), Cube(3, 2, 2, 3), Box);
        Assert.Equal(2.0 / 3, s.Dice, 1e-15);
        Assert.Equal(0.5, s.Jaccard, 1e-15);
        Assert.Equal(1, s.Hd95);
        Assert.Equal(10.0 / 26, s.Asd, 1e-15);
        Assert.False(s.EmptyPrediction || s.EmptyReference);
    }

    [Fact]
    public void Spacing_scales_the_distances_by_axis()
    {
        // With X voxels 2 mm: face x = 2 is 2 mm from ref, (4,3,3) still 1 mm (a Y or Z step).
        // Together: 32 zeros, 2 ones, 18 twos → HD95 2; ASD (9·2 + 1)/26.
        var s = SegmentationMetrics.Compute(Cube(2, 2, 2, 3), Cube(3, 2, 2, 3), Box, [2, 1, 1]);
        Assert.Equal(2, s.Hd95);
        Assert.Equal(19.0 / 26, s.Asd, 1e-15);
        Assert.Equal(2.0 / 3, s.Dice, 1e-15);
    }

    [Fact]
    public void Hd95_interpolates_between_sorted_distances_as_numpy()
    {
        // A 1×1×10 volume: every voxel is on the volume edge, so all of them are surface.
        // pred = whole line, ref = z 0: pred → ref = 0..9, ref → pred = 0.
        // 11 distances [0,0,1..9]; index 10·0.95 = 9.5 → halfway between 8 and 9.
        var shape = new Shape3(1, 1, 10);
        var pred = Enumerable.Repeat(true, 10).ToArray();
        var gt = new bool[10];
        gt[0] = true;
        var s = SegmentationMetrics.Compute(pred, gt, shape);
        Assert.Equal(8.5, s.Hd95, 1e-12);
        Assert.Equal(4.5, s.Asd, 1e-12);
        Assert.Equal(2.0 / 11, s.Dice, 1e-15);
        Assert.Equal(0.1, s.Jaccard, 1e-15);
    }

    [Fact]
    public void Asd_is_one_directional_as_medpy()
    {
        // Swapping roles: ref line → pred single voxel; pred → ref is now just 0.
        var shape = new Shape3(1, 1, 10);
        var single = new bool[10];
        single[0] = true;
        var s = SegmentationMetrics.Compute(single, Enumerable.Repeat(true, 10).ToArray(), shape);
        Assert.Equal(0, s.Asd);
        Assert.Equal(8.5, s.Hd95, 1e-12);
    }

    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4, 10 }, 95, 8.8)]
    [InlineData(new double[] { 5 }, 95, 5)]
    [InlineData(new double[] { 3, 1, 2 }, 50, 2)]
    [InlineData(new double[] { 0, 10 }, 95, 9.5)]
    public void Percentile_matches_numpy(double[] values, double q, double expected) =>
        Assert.Equal(expected, SegmentationMetrics.Percentile(values, q), 1e-12);

    [Fact]
    public void Surface_includes_mask_voxels_on_the_volume_edge()
    {
        var shape = new Shape3(4, 4, 4);
        var surface = SegmentationMetrics.Surface(Enumerable.Repeat(true, 64).ToArray(), shape);
        Assert.Equal(64 - 8, surface.Count(b => b));
    }

    [Fact]
    public void Identical_masks_score_perfectly()
    {
        var s = SegmentationMetrics.Compute(Cube(1, 2, 3, 4), Cube(1, 2, 3, 4), Box);
        Assert.Equal(new SegmentationScores(1, 1, 0, 0, false, false), s);
    }

    [Fact]
    public void Empty_prediction_scores_zero_on_all_four()
    {
        var s = SegmentationMetrics.Compute(new bool[Box.Count], Cube(3, 3, 3, 2), Box);
        Assert.Equal(new SegmentationScores(0, 0, 0, 0, true, false), s);
        var both = SegmentationMetrics.Compute(new bool[Box.Count], new bool[Box.Count], Box);
        Assert.Equal(new SegmentationScores(0, 0, 0, 0, true, true), both);
    }

    [Fact]
    public void Empty_reference_gives_zero_overlap_and_undefined_distances()
    {
        var s = SegmentationMetrics.Compute(Cube(3, 3, 3, 2), new bool[Box.Count], Box);
        Assert.Equal(0, s.Dice);
        Assert.Equal(0, s.Jaccard);
        Assert.True(double.IsNaN(s.Hd95) && double.IsNaN(s.Asd));
        Assert.True(s.EmptyReference);
        Assert.False(s.EmptyPrediction);
    }

    [Fact]
    public void Shapes_must_match()
    {
        var a = Volume.Zeros(new Shape3(2, 2, 2));
        var b = Volume.Zeros(new Shape3(2, 2, 3));
        Assert.Throws<PmcmException>(() => SegmentationMetrics.Compute(a, b));
        Assert.Throws<PmcmException>(() => SegmentationMetrics.Compute(new bool[8], new bool[9], new Shape3(2, 2, 2)));
    }

    [Fact]
    public void Volume_overload_thresholds_labels_above_zero()
    {
        var shape = new Shape3(1, 1, 4);
        var pred = new Volume(shape, [0, 2, 1, 0]);
        var gt = new Volume(shape, [0, 1, 0, 0]);
        Assert.Equal(2.0 / 3, SegmentationMetrics.Compute(pred, gt).Dice, 1e-15);
    }

    [Fact]
    public void Mean_uses_pairwise_summation_like_numpy()
    {
        // 0.1 summed 1000 times naively drifts; numpy's pairwise sum is exact to within one rounding here.
        var values = Enumerable.Repeat(0.1, 1000).ToArray();
        Assert.Equal(0.1, SegmentationMetrics.Mean(values), 1e-16);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Surface_distances_of_masks_touching_the_volume_edge_equal_brute_force(int seed)
    {
        // Random blobs that reach the volume's faces: the bounding-box crop must treat the edge as outside,
        // as the whole-grid computation (medpy) does. Brute force: every surface pair's distance, spacing (1, 2, 0.5).
        var shape = new Shape3(7, 6, 5);
        var random = new Random(seed);
        bool[] Blob() => Enumerable.Range(0, (int)shape.Count).Select(_ => random.NextDouble() < 0.45).ToArray();
        var (pred, gt) = (Blob(), Blob());
        double[] spacing = [1, 2, 0.5];
        var s = SegmentationMetrics.Compute(pred, gt, shape, spacing);

        var (ps, gs) = (SegmentationMetrics.Surface(pred, shape), SegmentationMetrics.Surface(gt, shape));
        (int X, int Y, int Z)[] Points(bool[] m) =>
            [.. from x in Enumerable.Range(0, shape.X) from y in Enumerable.Range(0, shape.Y) from z in Enumerable.Range(0, shape.Z)
                where m[shape.Index(x, y, z)] select (x, y, z)];
        double Nearest((int X, int Y, int Z) p, (int X, int Y, int Z)[] to) =>
            to.Min(q => Math.Sqrt(Math.Pow((p.X - q.X) * spacing[0], 2) + Math.Pow((p.Y - q.Y) * spacing[1], 2) + Math.Pow((p.Z - q.Z) * spacing[2], 2)));
        var toGt = Points(ps).Select(p => Nearest(p, Points(gs))).ToArray();
        var toPred = Points(gs).Select(p => Nearest(p, Points(ps))).ToArray();
        Assert.Equal(toGt.Average(), s.Asd, 1e-12);
        Assert.Equal(SegmentationMetrics.Percentile([.. toGt, .. toPred], 95), s.Hd95, 1e-12);
    }
}
