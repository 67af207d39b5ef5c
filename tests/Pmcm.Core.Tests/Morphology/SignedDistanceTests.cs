using Pmcm.Core.Morphology;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Morphology;

public class SignedDistanceTests
{
    [Fact]
    public void Hand_checked_line()
    {
        // pos = [0,0,1,2,1,0,0], neg = [2,1,0,0,0,1,2]; g = neg/2 − pos/2, then 0 on the inner boundary (z = 2, 4).
        bool[] mask = [false, false, true, true, true, false, false];
        var g = SignedDistance.Compute(mask, new Shape3(1, 1, 7));
        Assert.Equal([1f, 0.5f, 0f, -1f, 0f, 0.5f, 1f], g);
    }

    [Fact]
    public void The_volume_edge_is_not_background()
    {
        // pos = [3,2,1,0], neg = [0,0,0,1]; z = 0 touches only the volume edge, so it is not boundary.
        var g = SignedDistance.Compute([true, true, true, false], new Shape3(1, 1, 4));
        Assert.Equal(-1f, g[0]);
        Assert.Equal(-2f / 3, g[1], 1e-6f);
        Assert.Equal(0f, g[2]);
        Assert.Equal(1f, g[3]);
    }

    [Fact]
    public void Ball_field_is_zero_on_the_inner_boundary_negative_inside_positive_outside_and_spans_minus_one_to_one()
    {
        var shape = new Shape3(20, 18, 16);
        var mask = new bool[shape.Count];
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        for (var z = 0; z < shape.Z; z++)
            mask[shape.Index(x, y, z)] = (x - 9.3) * (x - 9.3) / 36 + (y - 8.1) * (y - 8.1) / 25 + (z - 7.7) * (z - 7.7) / 16 < 1;
        var g = SignedDistance.Compute(mask, shape);
        var boundary = SignedDistance.InnerBoundary(mask, shape);

        Assert.Contains(true, boundary);
        for (var i = 0; i < g.Length; i++)
        {
            Assert.InRange(g[i], -1f, 1f);
            if (boundary[i]) Assert.Equal(0f, g[i]);
            else if (mask[i]) Assert.True(g[i] < 0, $"inside voxel {i} has g = {g[i]}");
            else Assert.True(g[i] > 0, $"outside voxel {i} has g = {g[i]}");
        }
        Assert.Equal(-1f, g.Min());
        Assert.Equal(1f, g.Max());
    }

    [Fact]
    public void Inner_boundary_uses_face_neighbours_only()
    {
        var shape = new Shape3(3, 3, 3);
        var mask = Enumerable.Repeat(true, 27).ToArray();
        mask[shape.Index(0, 0, 0)] = false;
        var boundary = SignedDistance.InnerBoundary(mask, shape);
        Assert.Equal(3, boundary.Count(b => b));
        Assert.True(boundary[shape.Index(1, 0, 0)] && boundary[shape.Index(0, 1, 0)] && boundary[shape.Index(0, 0, 1)]);
        Assert.False(boundary[shape.Index(1, 1, 0)]); // touches the hole only along an edge
    }

    [Fact]
    public void Empty_mask_gives_zeros_and_full_mask_gives_nan_as_the_reference()
    {
        var shape = new Shape3(3, 3, 3);
        Assert.All(SignedDistance.Compute(new bool[27], shape), v => Assert.Equal(0f, v));
        Assert.All(SignedDistance.Compute(Enumerable.Repeat(true, 27).ToArray(), shape), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Volume_overload_keeps_geometry_and_is_float32()
    {
        var geometry = Geometry.WithSpacing(0.6, 0.6, 1.2);
        var label = new Volume(new Shape3(1, 1, 7), [0, 0, 1, 1, 1, 0, 0], geometry, VoxelType.UInt8);
        var sdf = SignedDistance.Compute(label);
        Assert.Equal(VoxelType.Float32, sdf.Type);
        Assert.Equal(geometry, sdf.Geometry);
        Assert.Equal(-1f, sdf[0, 0, 3]);
    }
}
