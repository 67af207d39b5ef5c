using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// An axis-aligned box of voxels, half-open on every axis (<c>[X0, X1) × [Y0, Y1) × [Z0, Z1)</c>), as numpy
/// slices <c>a[x0:x1, y0:y1, z0:z1]</c> are.
/// </summary>
public readonly record struct VoxelBox(int X0, int X1, int Y0, int Y1, int Z0, int Z1)
{
    /// <summary>The whole of a volume of shape <paramref name="shape"/>.</summary>
    public static VoxelBox All(Shape3 shape) => new(0, shape.X, 0, shape.Y, 0, shape.Z);

    public Shape3 Shape => new(X1 - X0, Y1 - Y0, Z1 - Z0);

    /// <summary>
    /// The voxels of <paramref name="volume"/> inside the box, with the geometry moved so that every kept voxel
    /// stays where it was in the world (origin = old origin + direction · spacing · box start).
    /// </summary>
    public Volume Crop(Volume volume)
    {
        var s = volume.Shape;
        if (X0 < 0 || Y0 < 0 || Z0 < 0 || X1 > s.X || Y1 > s.Y || Z1 > s.Z || X1 <= X0 || Y1 <= Y0 || Z1 <= Z0)
            throw new PmcmException($"crop box {this} does not fit inside a {s} volume");
        var shape = Shape;
        var data = new float[shape.Count];
        for (var x = 0; x < shape.X; x++)
            for (var y = 0; y < shape.Y; y++)
                Array.Copy(volume.Data, s.Index(X0 + x, Y0 + y, Z0), data, shape.Index(x, y, 0), shape.Z);
        var g = volume.Geometry;
        int[] start = [X0, Y0, Z0];
        var origin = new double[3];
        for (var r = 0; r < 3; r++)
        {
            origin[r] = g.Origin[r];
            for (var c = 0; c < 3; c++) origin[r] += g.Direction[r * 3 + c] * g.Spacing[c] * start[c];
        }
        return new Volume(shape, data, g with { Origin = origin }, volume.Type);
    }

    public override string ToString() => $"x[{X0},{X1}) y[{Y0},{Y1}) z[{Z0},{Z1})";
}
