using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// A CT display window: values are clipped to [level − ⌊width/2⌋, level + ⌊width/2⌋] and mapped linearly to
/// [0, 1]. Level 75, width 400 (HU −125..275) is the soft-tissue window of the Pancreas-CT preparation.
/// </summary>
public readonly record struct IntensityWindow(int Level, int Width)
{
    public int Min => Level - Width / 2;
    public int Max => Level + Width / 2;

    public Volume Apply(Volume volume)
    {
        if (Width <= 1) throw new PmcmException($"window width {Width} must be at least 2");
        var (min, range) = ((double)Min, (double)(Max - Min));
        var data = new float[volume.Data.Length];
        for (var i = 0; i < data.Length; i++) data[i] = (float)((Math.Clamp(volume.Data[i], min, Max) - min) / range);
        return new Volume(volume.Shape, data, volume.Geometry, VoxelType.Float32);
    }
}
