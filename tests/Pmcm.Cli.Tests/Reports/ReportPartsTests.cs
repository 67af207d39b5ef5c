using Pmcm.Cli.Rendering;
using Pmcm.Cli.Reports;
using Pmcm.Core.Volumes;
using SkiaSharp;

namespace Pmcm.Cli.Tests.Reports;

public class ReportPartsTests
{
    [Theory]
    [InlineData(new[] { 0.0, 0.05, 0.1, 0.95, 1.0 }, new[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 2 })]
    [InlineData(new[] { 0.5, double.NaN, -0.2, 1.3 }, new[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 1 })]
    public void HistogramCountsValuesPerTenthWithTheLastBinClosed(double[] values, int[] expected) =>
        Assert.Equal(expected, Histogram.Counts(values, 10, 0, 1));

    [Fact]
    public void BoxSummaryUsesNumpyQuartiles()
    {
        // numpy.percentile([1, 2, 4, 10], [25, 50, 75]) = 1.75, 3.0, 5.5
        var box = BoxSummary.Of([10, 1, double.NaN, 4, 2])!;
        Assert.Equal(new BoxSummary(1, 1.75, 3, 5.5, 10, 4), box);
        Assert.Null(BoxSummary.Of([double.NaN]));
    }

    [Fact]
    public void SlicesPassThroughTheReferenceCentroidAndDrawBothOutlines()
    {
        // Reference: the box x 2..5, y 2..5, z 1..4 (centroid 3.5, 3.5, 2.5, rounded half away from zero).
        // Prediction: the same box shifted by one voxel along +X.
        var shape = new Shape3(10, 8, 6);
        var reference = new bool[shape.Count];
        var prediction = new bool[shape.Count];
        for (var x = 2; x <= 5; x++)
        for (var y = 2; y <= 5; y++)
        for (var z = 1; z <= 4; z++)
        {
            reference[shape.Index(x, y, z)] = true;
            prediction[shape.Index(x + 1, y, z)] = true;
        }
        Assert.Equal((4, 4, 3), OrthogonalSlices.Centre(reference, prediction, shape));
        Assert.Equal((5, 4, 3), OrthogonalSlices.Centre(new bool[shape.Count], prediction, shape)); // no reference: the prediction's

        using var temp = new TempDir();
        var path = temp.File("slices.png");
        OrthogonalSlices.Write(path, new Volume(shape, new float[shape.Count]), reference, prediction, (4, 4, 3), 1);
        using var png = SKBitmap.Decode(path);
        Assert.Equal(10 + 10 + 8 + 2 * OrthogonalSlices.Gap, png.Width);
        Assert.Equal(8, png.Height);
        // Axial slice z = 3, row y = 3: x = 2 is the reference's left edge only, x = 3 is inside both but the
        // prediction's left edge, x = 5 is the reference's right edge inside the prediction, x = 6 the prediction's right edge.
        Assert.Equal(OrthogonalSlices.ReferenceColour, png.GetPixel(2, 3));
        Assert.Equal(OrthogonalSlices.PredictionColour, png.GetPixel(3, 3));
        Assert.Equal(OrthogonalSlices.ReferenceColour, png.GetPixel(5, 3));
        Assert.Equal(OrthogonalSlices.PredictionColour, png.GetPixel(6, 3));
        // Row y = 2 is the top edge of both boxes where they overlap (x 3..5).
        Assert.Equal(OrthogonalSlices.BothColour, png.GetPixel(4, 2));
        // Coronal slice y = 4 starts at column 10 + gap; its row 0 is z = 5 (above both boxes), row 1 is z = 4 (their top).
        var coronal = 10 + OrthogonalSlices.Gap;
        Assert.Equal(new SKColor(0, 0, 0), png.GetPixel(coronal + 4, 0));
        Assert.Equal(OrthogonalSlices.BothColour, png.GetPixel(coronal + 4, 1));
        // Sagittal slice x = 4 (inside both boxes along X): the outlines coincide on all four sides.
        var sagittal = coronal + 10 + OrthogonalSlices.Gap;
        Assert.Equal(OrthogonalSlices.BothColour, png.GetPixel(sagittal + 2, 2));
        Assert.Equal(OrthogonalSlices.BothColour, png.GetPixel(sagittal + 5, 3));
    }

    [Theory]
    [InlineData(20, 18, 17, 8)]
    [InlineData(112, 112, 80, 2)]
    [InlineData(400, 10, 10, 1)]
    public void SlicesAreZoomedToAtLeast160Pixels(int x, int y, int z, int scale) =>
        Assert.Equal(scale, OrthogonalSlices.ScaleFor(new Shape3(x, y, z)));
}
