using Pmcm.Core.Morphology;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Morphology;

public class EuclideanDistanceTests
{
    [Theory]
    [InlineData(7, 5, 6, 0.7, 1)]
    [InlineData(9, 11, 4, 0.95, 2)]
    [InlineData(1, 8, 13, 0.5, 3)]
    [InlineData(12, 1, 1, 0.8, 4)]
    public void Matches_brute_force_nearest_background_search(int nx, int ny, int nz, double foreground, int seed)
    {
        var shape = new Shape3(nx, ny, nz);
        var mask = RandomMask(shape, foreground, seed);
        var fast = EuclideanDistance.Transform(mask, shape);
        var slow = BruteForce(mask, shape, [1, 1, 1]);
        for (var i = 0; i < mask.Length; i++) Assert.Equal(slow[i], fast[i], 1e-12);
    }

    [Theory]
    [InlineData(1.5, 0.7, 2.2, 5)]
    [InlineData(0.3, 3.0, 1.0, 6)]
    public void Matches_brute_force_with_anisotropic_spacing(double sx, double sy, double sz, int seed)
    {
        var shape = new Shape3(8, 7, 9);
        var mask = RandomMask(shape, 0.85, seed);
        double[] spacing = [sx, sy, sz];
        var fast = EuclideanDistance.Transform(mask, shape, spacing);
        var slow = BruteForce(mask, shape, spacing);
        for (var i = 0; i < mask.Length; i++) Assert.Equal(slow[i], fast[i], 1e-12);
    }

    [Fact]
    public void Squared_transform_is_the_square()
    {
        var shape = new Shape3(6, 6, 6);
        var mask = RandomMask(shape, 0.8, 7);
        var d = EuclideanDistance.Transform(mask, shape, [1, 2, 0.5]);
        var d2 = EuclideanDistance.SquaredTransform(mask, shape, [1, 2, 0.5]);
        for (var i = 0; i < d.Length; i++) Assert.Equal(d[i] * d[i], d2[i], 1e-9);
    }

    [Fact]
    public void A_line_counts_steps_to_the_single_background_voxel()
    {
        // scipy: distance_transform_edt([[[0, 1, 1, 1, 1]]], sampling=(1, 1, 2.5)) = [0, 2.5, 5, 7.5, 10]
        var d = EuclideanDistance.Transform([false, true, true, true, true], new Shape3(1, 1, 5), [1, 1, 2.5]);
        Assert.Equal([0, 2.5, 5, 7.5, 10], d);
    }

    [Fact]
    public void A_diagonal_background_voxel_is_at_root_three()
    {
        var shape = new Shape3(2, 2, 2);
        var mask = Enumerable.Repeat(true, 8).ToArray();
        mask[0] = false;
        var d = EuclideanDistance.Transform(mask, shape);
        Assert.Equal(Math.Sqrt(3), d[shape.Index(1, 1, 1)], 1e-15);
        Assert.Equal(Math.Sqrt(2), d[shape.Index(1, 1, 0)], 1e-15);
        Assert.Equal(1, d[shape.Index(0, 0, 1)]);
    }

    [Fact]
    public void All_background_is_zero_and_no_background_is_infinite()
    {
        var shape = new Shape3(3, 4, 5);
        Assert.All(EuclideanDistance.Transform(new bool[60], shape), v => Assert.Equal(0, v));
        Assert.All(EuclideanDistance.Transform(Enumerable.Repeat(true, 60).ToArray(), shape), v => Assert.True(double.IsPositiveInfinity(v)));
    }

    [Fact]
    public void Rejects_a_mask_of_the_wrong_size_and_bad_spacing()
    {
        Assert.Throws<PmcmException>(() => EuclideanDistance.Transform(new bool[5], new Shape3(2, 2, 2)));
        Assert.Throws<PmcmException>(() => EuclideanDistance.Transform(new bool[8], new Shape3(2, 2, 2), [1, 0, 1]));
        Assert.Throws<PmcmException>(() => EuclideanDistance.Transform(new bool[8], new Shape3(2, 2, 2), [1, 1]));
    }

    [Fact]
    public void Distance_to_nearest_site_equals_the_full_transform_read_at_the_query_voxels()
    {
        var shape = new Shape3(9, 10, 11);
        var sites = RandomMask(shape, 0.03, 8);
        var at = RandomMask(shape, 0.1, 9);
        double[] spacing = [0.7, 1.1, 1.9];
        var full = EuclideanDistance.Transform(sites.Select(s => !s).ToArray(), shape, spacing);
        var expected = full.Where((_, i) => at[i]).ToArray();
        Assert.Equal(expected, EuclideanDistance.DistanceToNearest(sites, at, shape, spacing));
    }

    internal static bool[] RandomMask(Shape3 shape, double foreground, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, (int)shape.Count).Select(_ => random.NextDouble() < foreground).ToArray();
    }

    private static double[] BruteForce(bool[] mask, Shape3 shape, double[] s)
    {
        var result = new double[mask.Length];
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        for (var z = 0; z < shape.Z; z++)
        {
            if (!mask[shape.Index(x, y, z)]) continue;
            var best = double.PositiveInfinity;
            for (var bx = 0; bx < shape.X; bx++)
            for (var by = 0; by < shape.Y; by++)
            for (var bz = 0; bz < shape.Z; bz++)
            {
                if (mask[shape.Index(bx, by, bz)]) continue;
                var (dx, dy, dz) = ((x - bx) * s[0], (y - by) * s[1], (z - bz) * s[2]);
                best = Math.Min(best, dx * dx + dy * dy + dz * dz);
            }
            result[shape.Index(x, y, z)] = Math.Sqrt(best);
        }
        return result;
    }
}
