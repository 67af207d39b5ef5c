using Pmcm.Core.Volumes;

namespace Pmcm.Core.Morphology;

/// <summary>
/// The inner boundary of a mask: its voxels with a 6-neighbour outside it. Whether the space outside the
/// volume counts as "outside the mask" is the one thing the two users disagree on: medpy's surfaces
/// (<c>mask ^ binary_erosion(mask)</c>, default border value 0) say yes, skimage's
/// <c>find_boundaries(mode='inner')</c> used by the SDF says no.
/// </summary>
public static class Boundary
{
    public static bool[] Inner(bool[] mask, Shape3 shape, bool volumeEdgeIsOutside)
    {
        var boundary = new bool[mask.Length];
        var (nx, ny, nz) = (shape.X, shape.Y, shape.Z);
        var edge = volumeEdgeIsOutside;
        Parallel.For(0, nx, x =>
        {
            for (var y = 0; y < ny; y++)
            for (var z = 0; z < nz; z++)
            {
                var i = shape.Index(x, y, z);
                if (!mask[i]) continue;
                boundary[i] =
                    (x > 0 ? !mask[i - ny * nz] : edge) || (x < nx - 1 ? !mask[i + ny * nz] : edge) ||
                    (y > 0 ? !mask[i - nz] : edge) || (y < ny - 1 ? !mask[i + nz] : edge) ||
                    (z > 0 ? !mask[i - 1] : edge) || (z < nz - 1 ? !mask[i + 1] : edge);
            }
        });
        return boundary;
    }
}
