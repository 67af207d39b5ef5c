using Pmcm.Core.Data;
using Pmcm.Core.Transforms;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Transforms;

public class RandomCropTests
{
    private static readonly Shape3 LaPatch = new(112, 112, 80);

    // Hand-computed with Python: max((patch − size) // 2 + 3, 0) per axis when any size ≤ patch.
    [Theory]
    [InlineData(100, 120, 70, 9, 0, 8)]    // 12//2+3, (−8)//2+3 = −1 → 0, 10//2+3
    [InlineData(101, 130, 80, 8, 0, 3)]    // odd shortfall 11//2 = 5; Z equal to the patch still pads
    [InlineData(113, 50, 81, 2, 34, 2)]    // (−1)//2 = −1: one voxel larger still gets 2 (quirk)
    [InlineData(115, 50, 84, 1, 34, 1)]    // (−3)//2 = −2, (−4)//2 = −2
    [InlineData(117, 50, 85, 0, 34, 0)]    // (−5)//2 = −3 → 0
    [InlineData(113, 113, 81, 0, 0, 0)]    // larger in every axis: no padding at all
    public void Padding_follows_the_reference_rule(int x, int y, int z, int px, int py, int pz)
    {
        Assert.Equal(new Shape3Offset(px, py, pz), CropPadding.For(new Shape3(x, y, z), LaPatch));
    }

    [Fact]
    public void Crop_equals_pad_then_slice()
    {
        var sample = TestSamples.Coupled("c", new Shape3(5, 6, 3), seed: 8);
        var patch = new Shape3(4, 4, 4);
        var pad = CropPadding.For(sample.Shape, patch);
        Assert.Equal(new Shape3Offset(2, 2, 3), pad); // (−1)//2+3, (−2)//2+3, 1//2+3
        var origin = new Shape3Offset(1, 5, 2);
        var crop = RandomCrop.Crop(sample, patch, pad, origin);
        for (var i = 0; i < 4; i++)
        for (var j = 0; j < 4; j++)
        for (var k = 0; k < 4; k++)
        {
            var (x, y, z) = (origin.X + i - pad.X, origin.Y + j - pad.Y, origin.Z + k - pad.Z);
            var inside = x >= 0 && x < 5 && y >= 0 && y < 6 && z >= 0 && z < 3;
            Assert.Equal(inside ? sample.Image[sample.Shape.Index(x, y, z)] : 0f, crop.Image[patch.Index(i, j, k)]);
        }
        TestSamples.AssertCoupled(crop);
    }

    [Fact]
    public void Origins_are_drawn_x_y_z_below_the_padded_excess()
    {
        var sample = TestSamples.Coupled("c", new Shape3(5, 6, 3), seed: 8);
        var patch = new Shape3(4, 4, 4);
        var rng = new Rng(21);
        var seen = new HashSet<Shape3Offset>();
        for (var i = 0; i < 2000; i++)
        {
            var replay = Rng.FromState(rng.State);
            var crop = RandomCrop.Apply(sample, patch, rng);
            // Padded size (9, 10, 9): origins uniform in [0, 5) × [0, 6) × [0, 5).
            var origin = new Shape3Offset(replay.NextInt(5), replay.NextInt(6), replay.NextInt(5));
            seen.Add(origin);
            Assert.Equal(RandomCrop.Crop(sample, patch, new Shape3Offset(2, 2, 3), origin).Image, crop.Image);
            Assert.Equal(patch, crop.Shape);
        }
        Assert.Equal(5 * 6 * 5, seen.Count);
    }

    [Fact]
    public void Large_volume_crops_without_padding()
    {
        var sample = TestSamples.Coupled("c", new Shape3(9, 8, 7), seed: 3);
        var patch = new Shape3(4, 4, 4);
        var rng = new Rng(2);
        for (var i = 0; i < 50; i++)
        {
            var crop = RandomCrop.Apply(sample, patch, rng);
            Assert.DoesNotContain(0f, crop.Image);
            TestSamples.AssertCoupled(crop);
        }
    }

    [Fact]
    public void Pipeline_without_rotation_only_crops()
    {
        var sample = TestSamples.Coupled("c", new Shape3(9, 8, 7), seed: 3);
        var options = new AugmentationOptions(new Shape3(4, 4, 4), RotateFlip: false);
        var augmented = new TrainingAugmentation(options).Apply(sample, new Rng(10));
        Assert.Equal(RandomCrop.Apply(sample, options.Patch, new Rng(10)).Image, augmented.Image);
        Assert.False(AugmentationOptions.Pancreas.RotateFlip);
        Assert.True(AugmentationOptions.LeftAtrium.RotateFlip);
    }

    [Theory]
    [InlineData(5, 6, 3)]     // smaller than the patch: padded
    [InlineData(9, 7, 6)]     // larger: plain crop
    [InlineData(13, 4, 8)]    // mixed, and X/Y swap under odd k
    public void Fused_augmentation_equals_rotating_then_cropping(int x, int y, int z)
    {
        var sample = TestSamples.Coupled("c", new Shape3(x, y, z), seed: x * 31 + y);
        var patch = new Shape3(5, 4, 4);
        var augmentation = new TrainingAugmentation(new AugmentationOptions(patch));
        var fused = new Rng(17);
        var stepwise = new Rng(17);
        for (var i = 0; i < 64; i++)
        {
            var a = augmentation.Apply(sample, fused);
            var b = RandomCrop.Apply(RandomRotFlip.Apply(sample, stepwise), patch, stepwise);
            Assert.Equal(b.Image, a.Image);
            Assert.Equal(b.Label, a.Label);
            Assert.Equal(b.Sdf, a.Sdf);
            TestSamples.AssertCoupled(a);
        }
    }
}
