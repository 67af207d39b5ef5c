using Pmcm.Core.Metrics;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Metrics;

/// <summary>
/// Two wavy blobs whose scores were computed with medpy 0.4's algorithm on scipy 1.10 / numpy 1.24
/// (dc, jc, hd95, asd; binary_erosion with the 6-neighbour cross, distance_transform_edt, np.percentile).
/// </summary>
public class MedpyCrossCheckTests
{
    private static readonly Shape3 Shape = new(40, 36, 24);

    private static bool[] Blob(int shift, double a, double b, double c)
    {
        var mask = new bool[Shape.Count];
        for (var x = 0; x < Shape.X; x++)
        for (var y = 0; y < Shape.Y; y++)
        for (var z = 0; z < Shape.Z; z++)
        {
            var u = (x - Shape.X / 2.0 - shift) / (Shape.X * 0.3);
            var v = (y - Shape.Y / 2.0) / (Shape.Y * 0.28);
            var w = (z - Shape.Z / 2.0) / (Shape.Z * 0.3);
            mask[Shape.Index(x, y, z)] = u * u + v * v + w * w < 1 + 0.1 * Math.Sin(5 * u + a) + 0.08 * Math.Sin(4 * v + b) + 0.06 * Math.Sin(6 * w + c);
        }
        return mask;
    }

    private static readonly bool[] Prediction = Blob(0, 0.7, 1.3, 2.1);
    private static readonly bool[] Reference = Blob(3, 1.4, 2.6, 4.2);

    [Fact]
    public void Masks_are_the_ones_medpy_scored() =>
        Assert.Equal((3508, 3533), (Prediction.Count(b => b), Reference.Count(b => b)));

    [Fact]
    public void Scores_in_voxels_match_medpy()
    {
        var s = SegmentationMetrics.Compute(Prediction, Reference, Shape);
        Assert.Equal(0.797898025848601, s.Dice, 1e-14);
        Assert.Equal(0.6637523629489603, s.Jaccard, 1e-14);
        Assert.Equal(2.8284271247461903, s.Hd95, 1e-12);
        Assert.Equal(1.1867319120014714, s.Asd, 1e-12);
    }

    [Fact]
    public void Scores_with_anisotropic_spacing_match_medpy()
    {
        var s = SegmentationMetrics.Compute(Prediction, Reference, Shape, [0.625, 0.8, 2.5]);
        Assert.Equal(2.464878293141469, s.Hd95, 1e-12);
        Assert.Equal(1.0198324005992578, s.Asd, 1e-12);
    }
}
