using Pmcm.Core.Morphology;
using Pmcm.Core.Synthetic;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Synthetic;

public class SyntheticGeneratorTests
{
    private static readonly SyntheticOptions Small = new() { Size = new Shape3(64, 64, 48), Cases = 4, Seed = 7 };

    [Fact]
    public void Same_seed_and_index_give_the_same_case()
    {
        var a = new SyntheticGenerator(Small).Generate(2);
        var b = new SyntheticGenerator(Small).Generate(2);
        Assert.Equal("synth_002", a.Name);
        Assert.Equal(a.Image.Data, b.Image.Data);
        Assert.Equal(a.Label.Data, b.Label.Data);
        Assert.Equal(a.Sdf.Data, b.Sdf.Data);
    }

    [Fact]
    public void Other_seeds_and_indices_give_other_cases()
    {
        var a = new SyntheticGenerator(Small).Generate(0);
        Assert.NotEqual(a.Label.Data, new SyntheticGenerator(Small).Generate(1).Label.Data);
        Assert.NotEqual(a.Label.Data, new SyntheticGenerator(Small with { Seed = 8 }).Generate(0).Label.Data);
    }

    [Fact]
    public void Default_size_case_looks_like_a_z_scored_la_case()
    {
        var c = new SyntheticGenerator(new SyntheticOptions()).Generate(0);
        Assert.Equal(new Shape3(112, 112, 80), c.Image.Shape);
        Assert.Equal(VoxelType.Float32, c.Image.Type);
        Assert.Equal(VoxelType.UInt8, c.Label.Type);
        Assert.All(c.Label.Data, v => Assert.True(v is 0 or 1));

        var mean = c.Image.Data.Average(v => (double)v);
        var std = Math.Sqrt(c.Image.Data.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(0, mean, 1e-4);
        Assert.Equal(1, std, 1e-3);

        var fraction = c.Label.Data.Count(v => v > 0) / (double)c.Label.Data.Length;
        Assert.InRange(fraction, 0.02, 0.2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Distractors_are_present_unlabeled_and_as_bright_as_the_label(int index)
    {
        var c = new SyntheticGenerator(Small).Generate(index);
        var label = c.Label.ToMask();
        Assert.True(c.Distractors.Count(d => d) > 500, "too few distractor voxels");
        for (var i = 0; i < label.Length; i++)
            if (c.Distractors[i]) Assert.False(label[i]);

        var labelMean = Mean(c.Image.Data, label);
        var distractorMean = Mean(c.Image.Data, c.Distractors);
        var background = label.Select((l, i) => !l && !c.Distractors[i]).ToArray();
        var backgroundMean = Mean(c.Image.Data, background);
        Assert.True(Math.Abs(labelMean - distractorMean) < 0.35 * (labelMean - backgroundMean),
            $"label {labelMean:F2}, distractors {distractorMean:F2}, background {backgroundMean:F2}");
    }

    [Fact]
    public void Label_is_one_piece_with_veins_and_its_sdf_is_the_signed_distance()
    {
        var c = new SyntheticGenerator(Small).Generate(1);
        var label = c.Label.ToMask();
        var largest = ConnectedComponents.Largest(label, c.Label.Shape);
        Assert.Equal(label.Count(b => b), largest.Count(b => b));
        Assert.Equal(SignedDistance.Compute(label, c.Label.Shape), c.Sdf.Data);
    }

    [Fact]
    public void Rejects_impossible_options()
    {
        Assert.Throws<PmcmException>(() => new SyntheticGenerator(new SyntheticOptions { Cases = 0 }));
        Assert.Throws<PmcmException>(() => new SyntheticGenerator(new SyntheticOptions { Size = new Shape3(8, 64, 64) }));
        Assert.Throws<PmcmException>(() => new SyntheticGenerator(new SyntheticOptions { TestFraction = 1 }));
    }

    private static double Mean(float[] image, bool[] where)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < image.Length; i++)
            if (where[i]) { sum += image[i]; n++; }
        return sum / n;
    }
}
