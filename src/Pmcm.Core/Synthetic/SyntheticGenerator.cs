using Pmcm.Core.Morphology;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Synthetic;

/// <summary>
/// Makes LA-MRI-like cases that a model can only segment by learning shape: a bumpy ellipsoidal atrium with
/// 2–4 vein tubes (labeled), next to an aorta-like tube and a spine-like blob of about the same brightness
/// (not labeled), under a smooth multiplicative bias field and Rician noise; the image is z-scored.
/// Case i depends only on (seed, i), so any case can be regenerated alone and in parallel.
/// </summary>
public sealed class SyntheticGenerator
{
    private readonly SyntheticOptions _options;

    public SyntheticGenerator(SyntheticOptions options)
    {
        options.Validate();
        _options = options;
    }

    public static string CaseName(int index) => $"synth_{index:D3}";

    public SyntheticCase Generate(int index)
    {
        var o = _options;
        var shape = o.Size;
        var random = new Random(unchecked(o.Seed * 100_003 + index * 7_919 + 17));
        var scene = Scene.Draw(o, random);
        var bias = BiasField.Draw(shape, o.BiasAmplitude, random);
        var noiseKey = (ulong)random.NextInt64();

        var image = new float[shape.Count];
        var label = new bool[shape.Count];
        var distractors = new bool[shape.Count];
        Parallel.For(0, shape.X, x =>
        {
            for (var y = 0; y < shape.Y; y++)
            for (var z = 0; z < shape.Z; z++)
            {
                var i = shape.Index(x, y, z);
                var (atrium, vessel, spine) = scene.SignedDistances(x, y, z);
                label[i] = atrium > 0;
                distractors[i] = !label[i] && (vessel > 0 || spine > 0);
                var blood = Soft(Math.Max(atrium, vessel));
                var value = o.TissueIntensity + (o.BloodIntensity - o.TissueIntensity) * blood;
                value = Math.Max(value, o.TissueIntensity + (o.SpineIntensity - o.TissueIntensity) * Soft(spine));
                value *= bias.At(x, y, z);
                image[i] = (float)Rician(value, o.NoiseSigma, noiseKey, (ulong)i);
            }
        });
        ZScore(image);

        var geometry = Geometry.Identity;
        var labelVolume = Volume.FromMask(shape, label, geometry);
        var sdf = new Volume(shape, SignedDistance.Compute(label, shape), geometry);
        return new SyntheticCase(CaseName(index), new Volume(shape, image, geometry), labelVolume, sdf, distractors);
    }

    // A one-voxel partial-volume ramp across each surface.
    private static double Soft(double signedDistance) => Math.Clamp(0.5 + signedDistance, 0, 1);

    // The magnitude of a complex signal with Gaussian noise on both channels, as an MR magnitude image.
    private static double Rician(double signal, double sigma, ulong key, ulong index)
    {
        var h1 = SplitMix(key ^ (index * 2 + 1));
        var h2 = SplitMix(h1 ^ 0x9E3779B97F4A7C15UL);
        var u1 = ((h1 >> 11) + 1) * (1.0 / 9007199254740993.0);
        var u2 = (h2 >> 11) * (1.0 / 9007199254740992.0);
        var radius = Math.Sqrt(-2 * Math.Log(u1)) * sigma;
        var (re, im) = (signal + radius * Math.Cos(2 * Math.PI * u2), radius * Math.Sin(2 * Math.PI * u2));
        return Math.Sqrt(re * re + im * im);
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static void ZScore(float[] image)
    {
        double sum = 0, squares = 0;
        foreach (var v in image)
        {
            sum += v;
            squares += (double)v * v;
        }
        var mean = sum / image.Length;
        var std = Math.Sqrt(Math.Max(squares / image.Length - mean * mean, 1e-12));
        for (var i = 0; i < image.Length; i++) image[i] = (float)((image[i] - mean) / std);
    }
}
