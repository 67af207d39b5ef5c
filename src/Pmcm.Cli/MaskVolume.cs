using Pmcm.Core.Volumes;

namespace Pmcm.Cli;

/// <summary>A predicted mask as a uint8 volume on its scan's grid and geometry, ready to write.</summary>
public static class MaskVolume
{
    public static Volume From(byte[] mask, Volume scan)
    {
        var data = new float[mask.Length];
        for (var i = 0; i < data.Length; i++) data[i] = mask[i];
        return new Volume(scan.Shape, data, scan.Geometry, VoxelType.UInt8);
    }
}
