using Pmcm.Core.Volumes;

namespace Pmcm.Core.Inference;

/// <summary>
/// A separable Gaussian weight map over a patch, 1 at the centre, sigma = fraction × patch size per axis
/// (nnU-Net and MONAI use 1/8). Window edges, where the network sees least context, count less.
/// </summary>
public static class GaussianImportance
{
    /// <summary>Floor on the weights, so that far corners still contribute and no voxel ends with weight 0.</summary>
    public const float MinimumWeight = 1e-6f;

    public static float[] Create(Shape3 patch, double sigmaFraction)
    {
        if (sigmaFraction <= 0) throw new PmcmException($"Gaussian sigma fraction {sigmaFraction} must be positive");
        var wx = Axis(patch.X, sigmaFraction);
        var wy = Axis(patch.Y, sigmaFraction);
        var wz = Axis(patch.Z, sigmaFraction);
        var map = new float[patch.Count];
        for (var x = 0; x < patch.X; x++)
        for (var y = 0; y < patch.Y; y++)
        for (var z = 0; z < patch.Z; z++)
            map[patch.Index(x, y, z)] = (float)Math.Max(wx[x] * wy[y] * wz[z], MinimumWeight);
        return map;
    }

    private static double[] Axis(int n, double sigmaFraction)
    {
        var sigma = n * sigmaFraction;
        var centre = (n - 1) / 2.0;
        var w = new double[n];
        for (var i = 0; i < n; i++) w[i] = Math.Exp(-(i - centre) * (i - centre) / (2 * sigma * sigma));
        return w;
    }
}
