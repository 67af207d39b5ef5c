using Pmcm.Core.Preparation;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Preparation;

public class IsotropicResamplingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Cubic_b_spline_reproduces_a_linear_ramp_at_the_simple_itk_sample_positions(int axis)
    {
        // 50 voxels of 0.7 mm along one axis → ⌊35⌋ = 35 voxels of 1 mm; output k samples input k · 50 / 35.
        int[] size = [3, 4, 2];
        size[axis] = 50;
        double[] spacing = [1, 1, 1];
        spacing[axis] = 0.7;
        var shape = new Shape3(size[0], size[1], size[2]);
        var volume = Volume.Zeros(shape, Geometry.Identity with { Spacing = spacing });
        for (var x = 0; x < shape.X; x++)
            for (var y = 0; y < shape.Y; y++)
                for (var z = 0; z < shape.Z; z++)
                    volume[x, y, z] = 3 * new[] { x, y, z }[axis] + 1;

        var resampled = IsotropicResampling.Resample(volume, 1, ResamplingInterpolation.CubicBSpline);

        int[] expected = [3, 4, 2];
        expected[axis] = 35;
        Assert.Equal(new Shape3(expected[0], expected[1], expected[2]), resampled.Shape);
        Assert.Equal(1, resampled.Geometry.Spacing[axis], 12);
        // Away from the mirrored ends the cubic spline is exact for a line.
        for (var k = 8; k < 27; k++)
        {
            int[] at = [1, 1, 1];
            at[axis] = k;
            Assert.Equal(3 * (k * 50.0 / 35) + 1, resampled[at[0], at[1], at[2]], 3);
        }
    }
}
