using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Data;

public class TrainingGridTests
{
    // Intensity 1 in the first two X slices and 5 in the last two; foreground in the last X slice.
    private static H5Case Case()
    {
        var shape = new Shape3(4, 2, 2);
        var (image, label) = (Volume.Zeros(shape), Volume.Zeros(shape));
        for (var x = 0; x < 4; x++)
            for (var y = 0; y < 2; y++)
                for (var z = 0; z < 2; z++)
                {
                    image[x, y, z] = x < 2 ? 1 : 5;
                    label[x, y, z] = x == 3 ? 1 : 0;
                }
        return new H5Case(image, label, Volume.Zeros(shape));
    }

    [Fact]
    public void The_stored_grid_loads_a_case_unchanged()
    {
        var c = Case();
        Assert.Same(c, TrainingGrid.Stored.Apply(c));
    }

    [Fact]
    public void Standardising_z_scores_the_image_and_leaves_label_and_sdf_alone()
    {
        var c = Case();
        var loaded = new TrainingGrid(Standardise: true).Apply(c);
        // Mean 3, population std 2: 1 → −1 and 5 → +1.
        Assert.Equal([-1f, -1f, 1f, 1f], Enumerable.Range(0, 4).Select(x => loaded.Image[x, 0, 1]));
        Assert.Same(c.Label, loaded.Label);
        Assert.Same(c.Sdf, loaded.Sdf);
    }

    [Fact]
    public void Shrinking_comes_before_standardising()
    {
        var loaded = new TrainingGrid(2, Standardise: true).Apply(Case());
        // Shrunk: the X pairs average to 1 and 5 (one voxel each in Y and Z), then z-scored to −1 and +1.
        Assert.Equal(new Shape3(2, 1, 1), loaded.Image.Shape);
        Assert.Equal([-1f, 1f], loaded.Image.Data);
        Assert.Equal(new Shape3(2, 1, 1), loaded.Label!.Shape);
        Assert.Null(loaded.Sdf);
    }

    [Fact]
    public void An_image_alone_goes_through_the_same_steps()
    {
        var c = Case();
        var grid = new TrainingGrid(2, Standardise: true);
        Assert.Equal(grid.Apply(c).Image.Data, grid.Image(c.Image).Data);
        Assert.Equal(c.Image.Data, TrainingGrid.Stored.Image(c.Image).Data);
    }
}
