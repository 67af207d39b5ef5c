namespace Pmcm.Core.Volumes;

/// <summary>
/// Where the voxel grid sits in the world: spacing (mm per voxel along X, Y, Z), origin (mm)
/// and the 3×3 direction cosines (row-major, column j = direction of axis j).
/// Together they form the affine that NIfTI's sform/qform and NRRD's space directions store.
/// </summary>
public sealed record Geometry(double[] Spacing, double[] Origin, double[] Direction)
{
    public static Geometry Identity => new([1, 1, 1], [0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 1]);

    public static Geometry WithSpacing(double sx, double sy, double sz) => Identity with { Spacing = [sx, sy, sz] };

    /// <summary>4×4 voxel-to-world affine, row-major.</summary>
    public double[] Affine()
    {
        var a = new double[16];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++) a[r * 4 + c] = Direction[r * 3 + c] * Spacing[c];
            a[r * 4 + 3] = Origin[r];
        }
        a[15] = 1;
        return a;
    }

    /// <summary>Recovers spacing, origin and direction from a voxel-to-world affine (row-major 3×4 or 4×4).</summary>
    public static Geometry FromAffine(double[] affine)
    {
        var spacing = new double[3];
        var direction = new double[9];
        for (var c = 0; c < 3; c++)
        {
            var norm = Math.Sqrt(affine[c] * affine[c] + affine[4 + c] * affine[4 + c] + affine[8 + c] * affine[8 + c]);
            spacing[c] = norm == 0 ? 1 : norm;
            for (var r = 0; r < 3; r++) direction[r * 3 + c] = norm == 0 ? (r == c ? 1 : 0) : affine[r * 4 + c] / norm;
        }
        return new Geometry(spacing, [affine[3], affine[7], affine[11]], direction);
    }

    public bool Equals(Geometry? other) =>
        other is not null && Spacing.SequenceEqual(other.Spacing) && Origin.SequenceEqual(other.Origin) && Direction.SequenceEqual(other.Direction);

    public override int GetHashCode() => HashCode.Combine(Spacing[0], Spacing[1], Spacing[2], Origin[0]);
}
