using Pmcm.Core.Preparation;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Preparation;

public class PancreasPreparationTests
{
    // 0.5 mm in X and Y, 1 mm in Z: resampling to 1 mm keeps every second voxel in X and Y exactly
    // (the spline passes through the samples), so expected values can be read off the raw image.
    private static readonly Shape3 Raw = new(40, 36, 12);
    private static readonly Geometry HalfMillimetre = new([0.5, 0.5, 1], [-30, 12, 100], [1, 0, 0, 0, 1, 0, 0, 0, 1]);

    // HU per X index: air, fat-like, soft tissue, bone-like, so every side of the window is exercised.
    private static float Hu(int x) => x < 10 ? -1000 : x < 20 ? -100 : x < 30 ? 100 : 700;

    private static Volume Image()
    {
        var v = Volume.Zeros(Raw, HalfMillimetre, VoxelType.Int16);
        for (var x = 0; x < Raw.X; x++)
            for (var y = 0; y < Raw.Y; y++)
                for (var z = 0; z < Raw.Z; z++)
                    v[x, y, z] = Hu(x);
        return v;
    }

    // Raw label at X 16..21, Y 12..17: on the 1 mm grid (index = raw / 2) X 8..10, Y 6..8.
    private static Volume Label() => RawScans.Box(Raw, (16, 21, 12, 17, 3, 8), 1, HalfMillimetre);

    private static readonly PancreasPreparationOptions Small = new() { Patch = 4, Margin = 2, Standardise = false };

    [Fact]
    public void Resamples_to_one_millimetre_windows_to_zero_one_and_crops_x_y_around_the_label()
    {
        var prepared = PancreasPreparation.Prepare("p", Image(), Label(), Small);

        Assert.Equal(new Shape3(20, 18, 12), prepared.ResampledShape);
        // X 8..10 spans 2 < 4: pad 1, margin 2 → [8 − 3, 10 + 3) = [5, 13); Y 6..8 → [3, 11); Z whole.
        Assert.Equal(new VoxelBox(5, 13, 3, 11, 0, 12), prepared.Crop);
        Assert.Equal(new Shape3(8, 8, 12), prepared.Shape);

        var image = prepared.Data.Image;
        // Grid X 5 ↔ raw X 10 (−100 HU): (−100 + 125) / 400. Grid 10 ↔ raw 20 (100 HU): 225 / 400.
        // Grid 12 ↔ raw 24: 100 HU again. Air clips to 0, bone to 1 (checked on the uncropped grid below).
        Assert.Equal(25 / 400.0, image[0, 0, 0], 4);
        Assert.Equal(225 / 400.0, image[5, 4, 6], 4);
        Assert.Equal(225 / 400.0, image[7, 7, 11], 4);

        var label = prepared.Data.Label!;
        Assert.Equal(3 * 3 * 6, label.Data.Sum());
        Assert.Equal(1, label[8 - 5, 6 - 3, 3]);
        Assert.Equal(0, label[8 - 5, 6 - 3, 2]);
    }

    [Fact]
    public void Window_clips_to_minus_125_and_275_hounsfield_units()
    {
        var prepared = PancreasPreparation.Prepare("p", Image(), Label(), Small with { Patch = 40, Margin = 0 });

        // The box now spans the whole grid: X grid 0..4 is air (0), 15..19 bone (1).
        Assert.Equal(new VoxelBox(0, 20, 0, 18, 0, 12), prepared.Crop);
        Assert.Equal(0, prepared.Data.Image[1, 9, 6], 4);
        Assert.Equal(1, prepared.Data.Image[17, 9, 6], 4);
        Assert.Equal((-125, 275), (new IntensityWindow(75, 400).Min, new IntensityWindow(75, 400).Max));
    }

    [Fact]
    public void Published_default_z_scores_the_cropped_image()
    {
        var prepared = PancreasPreparation.Prepare("p", Image(), Label(), Small with { Standardise = true });

        var (mean, std) = ZScore.Statistics(prepared.Data.Image.Data);
        Assert.Equal(0, mean, 5);
        Assert.Equal(1, std, 5);
    }

    [Fact]
    public void Resampled_grid_truncates_the_size_and_refines_the_spacing_like_simple_itk()
    {
        var volume = Volume.Zeros(new Shape3(7, 10, 3), new Geometry([0.7, 1, 2.5], [1, 2, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]));
        var (shape, spacing) = IsotropicResampling.Grid(volume, 1);

        // 7 · 0.7 = 4.9 → 4 voxels of 4.9 / 4 = 1.225 mm; 3 · 2.5 = 7.5 → 7 voxels of 7.5 / 7 mm.
        Assert.Equal(new Shape3(4, 10, 7), shape);
        Assert.Equal(1.225, spacing[0], 12);
        Assert.Equal(1, spacing[1], 12);
        Assert.Equal(7.5 / 7, spacing[2], 12);

        var resampled = IsotropicResampling.Resample(volume, 1, ResamplingInterpolation.CubicBSpline);
        Assert.Equal(volume.Geometry.Origin, resampled.Geometry.Origin);
    }

    [Fact]
    public void Nearest_resampling_rounds_half_way_up_and_keeps_label_values()
    {
        // Upsampling Z by 2 (2 mm → 1 mm): output k samples input k / 2; half-way (k odd) takes the next voxel.
        var label = Volume.Zeros(new Shape3(1, 1, 3), new Geometry([1, 1, 2], [0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 1]), VoxelType.UInt8);
        (label[0, 0, 0], label[0, 0, 1], label[0, 0, 2]) = (3, 5, 7);
        var resampled = IsotropicResampling.Resample(label, 1, ResamplingInterpolation.Nearest);
        // Six outputs at input positions 0, 0.5, 1, 1.5, 2, 2.5; the last is half a voxel out: 0, as ITK.
        Assert.Equal([3f, 5, 5, 7, 7, 0], resampled.Data);
    }
}
