using Pmcm.Core.Data;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Transforms;

/// <summary>Samples whose label and SDF are functions of the image, so alignment can be checked voxel by voxel.</summary>
internal static class TestSamples
{
    public const float LabelThreshold = 0.3f;

    public static Sample Coupled(string name, Shape3 shape, int seed)
    {
        var rng = new Rng((ulong)seed);
        var image = new float[shape.Count];
        for (var i = 0; i < image.Length; i++) image[i] = (float)rng.NextDouble();
        return new Sample(name, shape, image, LabelOf(image), SdfOf(image), isLabeled: true);
    }

    public static byte[] LabelOf(float[] image) => image.Select(v => v > LabelThreshold ? (byte)1 : (byte)0).ToArray();

    public static float[] SdfOf(float[] image) => image.Select(v => 2 * v - 1).ToArray();

    /// <summary>Zero padding must keep the coupling too: image 0 → label 0, but sdf 0 (the reference pads the SDF with 0).</summary>
    public static void AssertCoupled(Sample s)
    {
        for (var i = 0; i < s.Image.Length; i++)
        {
            Assert.Equal(s.Image[i] > LabelThreshold ? (byte)1 : (byte)0, s.Label![i]);
            Assert.Equal(s.Image[i] == 0 ? 0f : 2 * s.Image[i] - 1, s.Sdf![i]);
        }
    }
}
