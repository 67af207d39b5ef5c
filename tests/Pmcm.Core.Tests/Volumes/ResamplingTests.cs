using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Volumes;

public class ResamplingTests
{
    // f(x, y, z) = 0.5 + 0.01·x − 0.02·y + 0.03·z: linear, so a factor-2 block average equals the value at the block's centre.
    private static float Ramp(double x, double y, double z) => (float)(0.5 + 0.01 * x - 0.02 * y + 0.03 * z);

    private static Volume RampVolume(Shape3 shape, Geometry geometry)
    {
        var v = Volume.Zeros(shape, geometry);
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        for (var z = 0; z < shape.Z; z++)
            v[x, y, z] = Ramp(x, y, z);
        return v;
    }

    [Fact]
    public void Shrinking_by_two_takes_block_centres_and_moves_the_origin_half_a_voxel()
    {
        var geometry = new Geometry([0.5, 0.75, 1.25], [10, -4, 2], [0, 1, 0, -1, 0, 0, 0, 0, 1]);
        var small = Resampling.Shrink(RampVolume(new Shape3(9, 7, 5), geometry), 2, nearest: false);
        Assert.Equal(new Shape3(4, 3, 2), small.Shape);
        Assert.Equal(Ramp(2.5, 0.5, 2.5), small[1, 0, 1], 5);
        Assert.Equal(new[] { 1.0, 1.5, 2.5 }, small.Geometry.Spacing);
        // Voxel (0.5, 0.5, 0.5) of the original grid: origin + D·(spacing ⊙ 0.5) = (10 + 0.375, −4 − 0.25, 2 + 0.625).
        Assert.Equal(new[] { 10.375, -4.25, 2.625 }, small.Geometry.Origin.Select(v => Math.Round(v, 9)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Enlarging_a_shrunk_linear_field_gives_it_back_between_the_outer_shrunk_voxels(int factor)
    {
        var shape = new Shape3(13, 11, 9);
        var small = Resampling.Shrink(RampVolume(shape, Geometry.Identity), factor, nearest: false);
        var back = Resampling.Enlarge(small, factor, shape);
        Assert.Equal(shape.Count, back.Length);
        // Original voxel j lies at shrunk coordinate (j + ½)/f − ½; inside [0, n − 1] trilinear is exact on a linear field.
        bool Inside(int j, int n) => (j + 0.5) / factor - 0.5 >= 0 && (j + 0.5) / factor - 0.5 <= n - 1;
        var checkedVoxels = 0;
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        for (var z = 0; z < shape.Z; z++)
        {
            if (!Inside(x, small.Shape.X) || !Inside(y, small.Shape.Y) || !Inside(z, small.Shape.Z)) continue;
            Assert.Equal(Ramp(x, y, z), back[shape.Index(x, y, z)], 5);
            checkedVoxels++;
        }
        Assert.True(checkedVoxels > shape.Count / 4);
        // Outside, the edge value is kept: voxel 0 takes shrunk voxel 0.
        Assert.Equal(small[0, 0, 0], back[0]);
    }

    [Fact]
    public void Enlarging_by_one_copies()
    {
        var v = RampVolume(new Shape3(3, 4, 5), Geometry.Identity);
        Assert.Equal(v.Data, Resampling.Enlarge(v, 1, v.Shape));
    }
}
