using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// (v − mean) / std over every voxel of a volume, with numpy's population std (ddof = 0), accumulated in
/// double and stored as float32 — numpy's <c>((image - np.mean(image)) / np.std(image)).astype(np.float32)</c>.
/// </summary>
public static class ZScore
{
    public static (double Mean, double Std) Statistics(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) throw new PmcmException("cannot standardise an empty volume");
        double sum = 0;
        foreach (var v in values) sum += v;
        var mean = sum / values.Length;
        double squares = 0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(squares / values.Length));
    }

    /// <summary>A float32 copy of <paramref name="volume"/> with mean 0 and std 1; a constant image is an error.</summary>
    public static Volume Apply(Volume volume)
    {
        var (mean, std) = Statistics(volume.Data);
        if (!double.IsFinite(mean) || !double.IsFinite(std)) throw new PmcmException("the image holds NaN or infinite values; it cannot be standardised");
        if (!(std > 0)) throw new PmcmException($"the image is constant ({mean}); it cannot be standardised");
        var data = new float[volume.Data.Length];
        for (var i = 0; i < data.Length; i++) data[i] = (float)((volume.Data[i] - mean) / std);
        return new Volume(volume.Shape, data, volume.Geometry, VoxelType.Float32);
    }
}
