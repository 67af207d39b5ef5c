namespace Pmcm.Core.Volumes;

/// <summary>
/// Shrinks a volume by an integer factor so experiments fit a CPU: trilinear for images, nearest for labels.
/// Output voxel i samples the input at (i + ½)·f − ½, the centre of the f input voxels it replaces, so a
/// factor-2 trilinear shrink averages each 2×2×2 block. Spacing grows by the factor; the origin moves to the
/// new first voxel's centre. <see cref="Enlarge"/> maps values of the shrunk grid back onto the original one.
/// </summary>
public static class Resampling
{
    public static Volume Shrink(Volume volume, int factor, bool nearest)
    {
        if (factor < 1) throw new PmcmException($"downsampling factor {factor} must be at least 1");
        if (factor == 1) return volume;
        var s = volume.Shape;
        var shape = new Shape3(Math.Max(1, s.X / factor), Math.Max(1, s.Y / factor), Math.Max(1, s.Z / factor));
        var output = new float[shape.Count];
        var offset = (factor - 1) / 2.0;
        Parallel.For(0, shape.X, x =>
        {
            var px = x * factor + offset;
            for (var y = 0; y < shape.Y; y++)
            {
                var py = y * factor + offset;
                for (var z = 0; z < shape.Z; z++)
                {
                    var pz = z * factor + offset;
                    output[shape.Index(x, y, z)] = nearest ? Nearest(volume, px, py, pz) : Trilinear(volume, px, py, pz);
                }
            }
        });
        var g = volume.Geometry;
        var geometry = g with
        {
            Spacing = g.Spacing.Select(v => v * factor).ToArray(),
            Origin = Enumerable.Range(0, 3).Select(r => g.Origin[r] + Enumerable.Range(0, 3).Sum(c => g.Direction[r * 3 + c] * g.Spacing[c] * offset)).ToArray(),
        };
        return new Volume(shape, output, geometry, volume.Type);
    }

    /// <summary>
    /// Trilinear interpolation of <paramref name="shrunk"/> (made by <see cref="Shrink"/> with
    /// <paramref name="factor"/>) at every voxel of the original grid <paramref name="shape"/>: original voxel j sits
    /// at shrunk coordinate (j + ½)/f − ½; beyond the first and last shrunk voxel the edge value is kept.
    /// </summary>
    public static float[] Enlarge(Volume shrunk, int factor, Shape3 shape)
    {
        if (factor < 1) throw new PmcmException($"downsampling factor {factor} must be at least 1");
        var output = new float[shape.Count];
        if (factor == 1 && shrunk.Shape == shape)
        {
            shrunk.Data.CopyTo(output, 0);
            return output;
        }
        double At(int j) => (j + 0.5) / factor - 0.5;
        Parallel.For(0, shape.X, x =>
        {
            for (var y = 0; y < shape.Y; y++)
            for (var z = 0; z < shape.Z; z++)
                output[shape.Index(x, y, z)] = Trilinear(shrunk, At(x), At(y), At(z));
        });
        return output;
    }

    private static float Nearest(Volume v, double x, double y, double z) =>
        v[Clamp((int)Math.Round(x, MidpointRounding.AwayFromZero), v.Shape.X), Clamp((int)Math.Round(y, MidpointRounding.AwayFromZero), v.Shape.Y),
          Clamp((int)Math.Round(z, MidpointRounding.AwayFromZero), v.Shape.Z)];

    private static float Trilinear(Volume v, double x, double y, double z)
    {
        var (x0, y0, z0) = ((int)Math.Floor(x), (int)Math.Floor(y), (int)Math.Floor(z));
        var (fx, fy, fz) = (x - x0, y - y0, z - z0);
        double Corner(int dx, int dy, int dz) => v[Clamp(x0 + dx, v.Shape.X), Clamp(y0 + dy, v.Shape.Y), Clamp(z0 + dz, v.Shape.Z)];
        var c00 = Corner(0, 0, 0) * (1 - fz) + Corner(0, 0, 1) * fz;
        var c01 = Corner(0, 1, 0) * (1 - fz) + Corner(0, 1, 1) * fz;
        var c10 = Corner(1, 0, 0) * (1 - fz) + Corner(1, 0, 1) * fz;
        var c11 = Corner(1, 1, 0) * (1 - fz) + Corner(1, 1, 1) * fz;
        return (float)((c00 * (1 - fy) + c01 * fy) * (1 - fx) + (c10 * (1 - fy) + c11 * fy) * fx);
    }

    private static int Clamp(int i, int n) => Math.Clamp(i, 0, n - 1);
}
