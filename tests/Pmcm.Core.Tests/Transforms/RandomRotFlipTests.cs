using Pmcm.Core.Data;
using Pmcm.Core.Transforms;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Transforms;

public class RandomRotFlipTests
{
    // a = [[1, 2, 3], [4, 5, 6]] with two Z values per (x, y): value·10 + z.
    private static Sample Small()
    {
        var shape = new Shape3(2, 3, 2);
        var image = new float[shape.Count];
        for (var x = 0; x < 2; x++)
        for (var y = 0; y < 3; y++)
        for (var z = 0; z < 2; z++)
            image[shape.Index(x, y, z)] = (x * 3 + y + 1) * 10 + z;
        return new Sample("small", shape, image, null, null, isLabeled: false);
    }

    private static int[,] Plane(Sample s)
    {
        var plane = new int[s.Shape.X, s.Shape.Y];
        for (var x = 0; x < s.Shape.X; x++)
        for (var y = 0; y < s.Shape.Y; y++)
        {
            var v = s.Image[s.Shape.Index(x, y, 0)];
            Assert.Equal(v + 1, s.Image[s.Shape.Index(x, y, 1)]); // Z lines move whole
            plane[x, y] = (int)v / 10;
        }
        return plane;
    }

    // Expected values are numpy's: np.flip(np.rot90(a, k), axis).
    public static TheoryData<int, int, int[,]> Cases => new()
    {
        { 0, 0, new[,] { { 4, 5, 6 }, { 1, 2, 3 } } },
        { 0, 1, new[,] { { 3, 2, 1 }, { 6, 5, 4 } } },
        { 1, 0, new[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } } },   // rot90(a) = [[3,6],[2,5],[1,4]]
        { 1, 1, new[,] { { 6, 3 }, { 5, 2 }, { 4, 1 } } },
        { 2, 0, new[,] { { 3, 2, 1 }, { 6, 5, 4 } } },       // rot90(a, 2) = [[6,5,4],[3,2,1]]
        { 2, 1, new[,] { { 4, 5, 6 }, { 1, 2, 3 } } },
        { 3, 0, new[,] { { 6, 3 }, { 5, 2 }, { 4, 1 } } },   // rot90(a, 3) = [[4,1],[5,2],[6,3]]
        { 3, 1, new[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_numpy_rot90_then_flip(int k, int axis, int[,] expected)
    {
        var result = RandomRotFlip.Apply(Small(), k, axis);
        Assert.Equal(k % 2 == 0 ? new Shape3(2, 3, 2) : new Shape3(3, 2, 2), result.Shape);
        Assert.Equal(expected, Plane(result));
    }

    [Fact]
    public void Image_label_and_sdf_stay_aligned_under_random_draws()
    {
        var sample = TestSamples.Coupled("c", new Shape3(7, 5, 3), seed: 11);
        var rng = new Rng(5);
        var shapes = new HashSet<Shape3>();
        for (var i = 0; i < 16; i++)
        {
            var r = RandomRotFlip.Apply(sample, rng);
            shapes.Add(r.Shape);
            TestSamples.AssertCoupled(r);
            Assert.Equal(sample.Image.Order(), r.Image.Order()); // a permutation of the voxels
        }
        Assert.Equal([new Shape3(7, 5, 3), new Shape3(5, 7, 3)], shapes.Order(Comparer<Shape3>.Create((a, b) => b.X.CompareTo(a.X))));
    }

    [Fact]
    public void Draws_k_then_the_flip_axis()
    {
        var sample = TestSamples.Coupled("c", new Shape3(4, 3, 2), seed: 2);
        var rng = new Rng(77);
        var replay = Rng.FromState(rng.State);
        for (var i = 0; i < 8; i++)
        {
            var actual = RandomRotFlip.Apply(sample, rng);
            var k = replay.NextInt(4);
            var axis = replay.NextInt(2);
            Assert.Equal(RandomRotFlip.Apply(sample, k, axis).Image, actual.Image);
        }
    }

    [Fact]
    public void Rotating_by_180_and_flipping_twice_is_the_identity()
    {
        var sample = TestSamples.Coupled("c", new Shape3(6, 4, 3), seed: 4);
        var twice = RandomRotFlip.Apply(RandomRotFlip.Apply(sample, 2, 0), 2, 0);
        Assert.Equal(sample.Image, twice.Image);
        Assert.Equal(sample.Label, twice.Label);
    }
}
