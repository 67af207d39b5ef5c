using Pmcm.Core.Data;
using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Inference;

public class SlidingWindowTests
{
    private static float[] RandomImage(Shape3 shape, int seed)
    {
        var rng = new Rng((ulong)seed);
        return Enumerable.Range(0, (int)shape.Count).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Theory]
    [InlineData(0.37f, WindowWeighting.Uniform)]
    [InlineData(0.61f, WindowWeighting.Uniform)]
    [InlineData(0.61f, WindowWeighting.Gaussian)]
    public void A_constant_network_yields_that_constant_everywhere(float p, WindowWeighting weighting)
    {
        var shape = new Shape3(23, 17, 9);
        var options = new SlidingWindowOptions(new Shape3(8, 8, 6), new Shape3(3, 3, 2), WindowsPerBatch: 4, Weighting: weighting);
        var result = SlidingWindow.Predict(RandomImage(shape, 1), shape, options, (w, n, output) => output.Fill(p));
        // Float32 sums of up to 3 · 3 · 3 windows, as the reference: within a few float32 ulps of p (6e-8 each).
        Assert.All(result.Probability, v => Assert.Equal(p, v, 1e-6f));
        Assert.All(result.Mask, m => Assert.Equal(p > 0.5f ? (byte)1 : (byte)0, m));
    }

    [Theory]
    [InlineData(23, 17, 9)]   // larger than the patch
    [InlineData(5, 17, 3)]    // smaller in X and Z: padded windows
    public void An_identity_network_returns_the_image(int x, int y, int z)
    {
        var shape = new Shape3(x, y, z);
        var image = RandomImage(shape, 2);
        var options = new SlidingWindowOptions(new Shape3(8, 8, 6), new Shape3(3, 5, 2), WindowsPerBatch: 3);
        var result = SlidingWindow.Predict(image, shape, options, (w, n, output) => w.CopyTo(output));
        Assert.Equal(ReferenceScores(image, shape, options.Patch, options.Stride, window => window), result.Probability);
        for (var i = 0; i < image.Length; i++) Assert.Equal(image[i], result.Probability[i], 1e-6f);
        Assert.Equal(result.Probability.Select(v => v > 0.5f ? (byte)1 : (byte)0), result.Mask);
    }

    [Fact]
    public void Windows_are_sent_in_batches_of_the_requested_size()
    {
        var shape = new Shape3(20, 14, 10);
        var options = new SlidingWindowOptions(new Shape3(8, 8, 6), new Shape3(3, 3, 2), WindowsPerBatch: 5);
        var plan = WindowPlan.Create(shape, options.Patch, options.Stride);
        var counts = new List<int>();
        var result = SlidingWindow.Predict(new float[shape.Count], shape, options, (w, n, output) =>
        {
            Assert.Equal(n * 8 * 8 * 6, w.Length);
            Assert.Equal(w.Length, output.Length);
            counts.Add(n);
            output.Clear();
        });
        Assert.Equal(5 * 3 * 3, plan.Count); // X: ceil(12/3)+1, Y: ceil(6/3)+1, Z: ceil(4/2)+1
        Assert.Equal(plan.Count, result.Windows);
        Assert.Equal([5, 5, 5, 5, 5, 5, 5, 5, 5], counts);
    }

    /// <summary>The reference's test_single_case, transcribed literally: pad, float32 score and count maps, divide, crop.</summary>
    private static float[] ReferenceScores(float[] image, Shape3 shape, Shape3 patch, Shape3 stride, Func<float[], float[]> net)
    {
        int Pad(int s, int p) => s < p ? p - s : 0;
        var (wp, hp, dp) = (Pad(shape.X, patch.X), Pad(shape.Y, patch.Y), Pad(shape.Z, patch.Z));
        var padded = new Shape3(shape.X + wp, shape.Y + hp, shape.Z + dp);
        var img = new float[padded.Count];
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        for (var z = 0; z < shape.Z; z++)
            img[padded.Index(x + wp / 2, y + hp / 2, z + dp / 2)] = image[shape.Index(x, y, z)];
        int Steps(int len, int p, int s) => (int)Math.Ceiling((len - p) / (double)s) + 1;
        var score = new float[padded.Count];
        var cnt = new float[padded.Count];
        for (var i = 0; i < Steps(padded.X, patch.X, stride.X); i++)
        for (var j = 0; j < Steps(padded.Y, patch.Y, stride.Y); j++)
        for (var k = 0; k < Steps(padded.Z, patch.Z, stride.Z); k++)
        {
            var (xs, ys, zs) = (Math.Min(stride.X * i, padded.X - patch.X), Math.Min(stride.Y * j, padded.Y - patch.Y), Math.Min(stride.Z * k, padded.Z - patch.Z));
            var window = new float[patch.Count];
            for (var a = 0; a < patch.X; a++)
            for (var b = 0; b < patch.Y; b++)
            for (var c = 0; c < patch.Z; c++)
                window[patch.Index(a, b, c)] = img[padded.Index(xs + a, ys + b, zs + c)];
            var y = net(window);
            for (var a = 0; a < patch.X; a++)
            for (var b = 0; b < patch.Y; b++)
            for (var c = 0; c < patch.Z; c++)
            {
                score[padded.Index(xs + a, ys + b, zs + c)] += y[patch.Index(a, b, c)];
                cnt[padded.Index(xs + a, ys + b, zs + c)] += 1;
            }
        }
        var result = new float[shape.Count];
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        for (var z = 0; z < shape.Z; z++)
        {
            var i = padded.Index(x + wp / 2, y + hp / 2, z + dp / 2);
            result[shape.Index(x, y, z)] = score[i] / cnt[i];
        }
        return result;
    }

    [Theory]
    [InlineData(19, 13, 11)]
    [InlineData(7, 13, 4)]
    public void Matches_the_reference_with_a_position_dependent_network(int x, int y, int z)
    {
        var shape = new Shape3(x, y, z);
        var patch = new Shape3(8, 8, 6);
        var stride = new Shape3(3, 4, 2);
        var image = RandomImage(shape, 3);
        // Depends on the window contents and on where in the window a voxel sits, like a real network.
        float[] Net(float[] w)
        {
            var p = new float[w.Length];
            for (var i = 0; i < w.Length; i++) p[i] = 1f / (1f + MathF.Exp(-(w[i] - 0.5f) * 4 - 0.1f * (i % 8) + 0.05f * (i / 48)));
            return p;
        }
        var expected = ReferenceScores(image, shape, patch, stride, Net);
        var actual = SlidingWindow.Predict(image, shape, new SlidingWindowOptions(patch, stride, WindowsPerBatch: 2), (w, n, output) =>
        {
            var voxels = (int)patch.Count;
            for (var i = 0; i < n; i++) Net(w.Slice(i * voxels, voxels).ToArray()).CopyTo(output.Slice(i * voxels, voxels));
        });
        // Float32 sums in the reference's window order and its window counts: the same numbers, not just close ones.
        Assert.Equal(expected, actual.Probability);
    }

    [Fact]
    public void A_scan_is_segmented_on_the_shrunk_grid_and_its_probability_brought_back_to_the_scan_grid()
    {
        // Odd sizes and a rotated, anisotropic affine; the image is a linear ramp so every step is known exactly.
        var shape = new Shape3(35, 33, 37);
        var geometry = new Geometry([0.625, 0.625, 1.25], [-10, 5, 2.5], [0, -1, 0, 1, 0, 0, 0, 0, 1]);
        var scan = Volume.Zeros(shape, geometry);
        float Ramp(double x, double y, double z) => (float)(0.1 + 0.01 * x + 0.008 * y + 0.009 * z);
        for (var x = 0; x < shape.X; x++)
        for (var y = 0; y < shape.Y; y++)
        for (var z = 0; z < shape.Z; z++)
            scan[x, y, z] = Ramp(x, y, z);
        var options = new SlidingWindowOptions(new Shape3(16, 16, 16), new Shape3(8, 8, 8));
        var shrunkWindows = 0;

        var result = SlidingWindow.Predict(scan, new TrainingGrid(2), options, (w, n, output) =>
        {
            shrunkWindows += n;
            w.CopyTo(output);
        });

        Assert.Equal(shape, result.Shape);
        Assert.Equal(shape.Count, result.Probability.Length);
        // Shrunk grid 17×16×18: 2 × 1 × 2 windows of 16 with stride 8 (the full grid would need 4 × 4 × 4).
        Assert.Equal(4, result.Windows);
        Assert.Equal(4, shrunkWindows);
        // An identity network returns the shrunk ramp; trilinear back-mapping reproduces the ramp between outer shrunk voxels (1..32 on X).
        Assert.Equal(Ramp(20, 17, 9), result.Probability[shape.Index(20, 17, 9)], 5);
        Assert.Equal(Ramp(1, 1, 1), result.Probability[shape.Index(1, 1, 1)], 5);
        Assert.Equal(result.Probability.Select(p => p > 0.5f ? (byte)1 : (byte)0), result.Mask);
    }

    [Fact]
    public void Downsampling_by_one_is_the_plain_prediction()
    {
        var shape = new Shape3(11, 9, 7);
        var scan = new Volume(shape, RandomImage(shape, 4));
        var options = new SlidingWindowOptions(new Shape3(8, 8, 6), new Shape3(3, 3, 2));
        var plain = SlidingWindow.Predict(scan.Data, shape, options, (w, n, output) => w.CopyTo(output));
        var viaScan = SlidingWindow.Predict(scan, TrainingGrid.Stored, options, (w, n, output) => w.CopyTo(output));
        Assert.Equal(plain.Probability, viaScan.Probability);
        Assert.Equal(plain.Windows, viaScan.Windows);
    }
}
