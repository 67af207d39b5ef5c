using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// The smallest box holding every foreground voxel, with inclusive ends (numpy's
/// <c>np.min/np.max</c> of <c>np.nonzero(label)</c>), which is what the published crops start from.
/// </summary>
public readonly record struct LabelBounds(int MinX, int MaxX, int MinY, int MaxY, int MinZ, int MaxZ)
{
    /// <summary>Bounds of the voxels where <paramref name="foreground"/> holds; an empty label is an error.</summary>
    public static LabelBounds Of(Volume label, Func<float, bool> foreground)
    {
        var s = label.Shape;
        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue, maxX = -1, maxY = -1, maxZ = -1;
        for (var x = 0; x < s.X; x++)
            for (var y = 0; y < s.Y; y++)
            {
                var row = s.Index(x, y, 0);
                for (var z = 0; z < s.Z; z++)
                {
                    if (!foreground(label.Data[row + z])) continue;
                    (minX, maxX) = (Math.Min(minX, x), Math.Max(maxX, x));
                    (minY, maxY) = (Math.Min(minY, y), Math.Max(maxY, y));
                    (minZ, maxZ) = (Math.Min(minZ, z), Math.Max(maxZ, z));
                }
            }
        if (maxX < 0) throw new PmcmException("the label has no foreground voxel");
        return new LabelBounds(minX, maxX, minY, maxY, minZ, maxZ);
    }
}
