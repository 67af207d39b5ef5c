using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Inference;

/// <summary>
/// Small networks and volumes that keep inference tests fast. Tests run in parallel and share libtorch's
/// global generator, so a test that compares two runs must reuse one network rather than re-seed.
/// </summary>
internal static class TinyNets
{
    public static readonly Shape3 Patch = new(16, 16, 16);
    public static readonly Shape3 Stride = new(8, 8, 8);

    public static SlidingWindowOptions Window(int windowsPerBatch = 1, WindowWeighting weighting = WindowWeighting.Uniform) =>
        new(Patch, Stride, windowsPerBatch, weighting);

    public static PmcmNet Random(int seed = 7)
    {
        manual_seed(seed);
        return new PmcmNet(new NetworkOptions { NFilters = 2, Classes = 2, DropoutRate = 0 });
    }

    /// <summary>
    /// A network whose segmentation heads ignore their input: zero weights and bias (0, <paramref name="foregroundLogit"/>),
    /// so every voxel's foreground probability is sigmoid(foregroundLogit).
    /// </summary>
    public static PmcmNet Constant(float foregroundLogit)
    {
        var net = Random();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in net.named_parameters())
        {
            if (name.EndsWith("out_conv.weight", StringComparison.Ordinal)) parameter.zero_();
            if (name.EndsWith("out_conv.bias", StringComparison.Ordinal)) parameter.copy_(tensor(new[] { 0f, foregroundLogit }));
        }
        return net;
    }

    public static float[] Image(Shape3 shape, int seed = 3)
    {
        var random = new Random(seed);
        var data = new float[shape.Count];
        for (var i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
