using Pmcm.Core.Data;
using Pmcm.Core.Preparation;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Preparation;

public class LeftAtriumPreparationTests
{
    private static readonly Shape3 Shape = new(40, 36, 20);

    // Margin ranges of one value make the published random crop exactly computable by hand.
    private static readonly LeftAtriumPreparationOptions Fixed = new() { Patch = new Shape3(8, 8, 6), MarginXY = (2, 3), MarginZ = (1, 2) };

    private static Volume Label() => RawScans.Box(Shape, (10, 14, 8, 11, 5, 7), 255);

    [Fact]
    public void Crops_x_and_y_to_the_padded_label_box_and_keeps_z_whole()
    {
        var prepared = LeftAtriumPreparation.Prepare("c", RawScans.XRamp(Shape), Label(), new Rng(1), Fixed);

        // X: 10..14 spans 4 < 8, pad (8 − 4) div 2 = 2; [10 − 2 − 2, 14 + 2 + 2) = [6, 18).
        // Y: 8..11 spans 3, pad (8 − 3) div 2 = 2; [8 − 4, 11 + 4) = [4, 15). Z: whole, [0, 20).
        Assert.Equal(new VoxelBox(6, 18, 4, 15, 0, 20), prepared.Crop);
        Assert.Equal(new Shape3(12, 11, 20), prepared.Shape);
        Assert.Equal(Shape, prepared.RawShape);
    }

    [Fact]
    public void Crop_z_applies_the_z_range_the_script_computes()
    {
        var prepared = LeftAtriumPreparation.Prepare("c", RawScans.XRamp(Shape), Label(), new Rng(1), Fixed with { CropZ = true });

        // Z: 5..7 spans 2 < 6, pad 2, margin 1: [5 − 1 − 2, 7 + 1 + 2) = [2, 10).
        Assert.Equal(new VoxelBox(6, 18, 4, 15, 2, 10), prepared.Crop);
    }

    [Fact]
    public void Box_is_clipped_to_the_volume()
    {
        var label = RawScans.Box(Shape, (1, 38, 0, 2, 0, 19), 255);
        var prepared = LeftAtriumPreparation.Prepare("c", RawScans.XRamp(Shape), label, new Rng(1), Fixed);

        // X: [1 − 2, 38 + 2) clipped to [0, 40); Y: 0..2 spans 2, pad 3: [0 − 5, 2 + 5) → [0, 7).
        Assert.Equal(new VoxelBox(0, 40, 0, 7, 0, 20), prepared.Crop);
    }

    [Fact]
    public void Image_is_z_scored_with_the_whole_raw_volume_and_label_is_laendo_255()
    {
        var label = Label();
        label[0, 0, 0] = 254; // other values of laendo are background
        var prepared = LeftAtriumPreparation.Prepare("c", RawScans.XRamp(Shape), label, new Rng(1), Fixed);

        // Voxel values are the X index 0..39, equally often: mean 19.5, population std √((40² − 1) / 12).
        var std = Math.Sqrt((40.0 * 40 - 1) / 12);
        var image = prepared.Data.Image;
        Assert.Equal(VoxelType.Float32, image.Type);
        Assert.Equal((6 - 19.5) / std, image[0, 0, 0], 5);
        Assert.Equal((17 - 19.5) / std, image[11, 10, 19], 5);

        var mask = prepared.Data.Label!;
        Assert.Equal(VoxelType.UInt8, mask.Type);
        Assert.Equal(5 * 4 * 3, mask.Data.Sum());
        Assert.Equal(1, mask[10 - 6, 8 - 4, 5]);
        Assert.Equal(0, mask[10 - 6 - 1, 8 - 4, 5]);
    }

    [Fact]
    public void Cropped_volumes_keep_their_voxels_in_place_in_the_world()
    {
        var geometry = new Geometry([0.625, 0.625, 2.5], [-10, 20, 5], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
        var prepared = LeftAtriumPreparation.Prepare("c", RawScans.XRamp(Shape, geometry), Label(), new Rng(1), Fixed);

        Assert.Equal([-10 + 6 * 0.625, 20 + 4 * 0.625, 5], prepared.Data.Image.Geometry.Origin);
        Assert.Equal(geometry.Spacing, prepared.Data.Label!.Geometry.Spacing);
    }

    [Fact]
    public void Default_margins_lie_in_the_published_ranges_and_repeat_for_a_seed()
    {
        var big = new Shape3(160, 160, 100);
        var label = RawScans.Box(big, (60, 99, 60, 99, 30, 69), 255);
        var image = RawScans.XRamp(big);
        var options = new LeftAtriumPreparationOptions { CropZ = true };
        var seen = new HashSet<int>();
        for (ulong seed = 0; seed < 20; seed++)
        {
            var box = LeftAtriumPreparation.Prepare("c", image, label, LeftAtriumPreparation.RngFor(seed, "c"), options).Crop;
            // The label spans 39 voxels: pad (112 − 39) div 2 = 36 in X/Y, (80 − 39) div 2 = 20 in Z.
            Assert.InRange(60 - box.X0 - 36, 10, 19);
            Assert.InRange(box.X1 - 99 - 36, 10, 19);
            Assert.InRange(30 - box.Z0 - 20, 5, 9);
            Assert.InRange(box.Z1 - 69 - 20, 5, 9);
            seen.Add(box.X0);
        }
        var first = LeftAtriumPreparation.Prepare("c", image, label, LeftAtriumPreparation.RngFor(0, "c"), options).Crop;
        Assert.Equal(first, LeftAtriumPreparation.Prepare("c", image, label, LeftAtriumPreparation.RngFor(0, "c"), options).Crop);
        Assert.True(seen.Count > 5, "the margins should vary with the seed");
    }

    [Fact]
    public void Empty_label_and_mismatched_shapes_are_errors()
    {
        var empty = Assert.Throws<PmcmException>(() =>
            LeftAtriumPreparation.Prepare("c", RawScans.XRamp(Shape), Volume.Zeros(Shape), new Rng(1), Fixed));
        Assert.Contains("no foreground", empty.Message);
        var shape = Assert.Throws<PmcmException>(() =>
            LeftAtriumPreparation.Prepare("c", RawScans.XRamp(Shape), Volume.Zeros(new Shape3(40, 36, 19)), new Rng(1), Fixed));
        Assert.Contains("40×36×19", shape.Message);
    }
}
