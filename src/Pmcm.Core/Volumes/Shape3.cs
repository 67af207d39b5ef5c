namespace Pmcm.Core.Volumes;

/// <summary>
/// Size of a 3-D volume. Voxels are stored in C order with X slowest and Z fastest,
/// exactly as h5py/numpy present the community's (X, Y, Z) arrays.
/// </summary>
public readonly record struct Shape3(int X, int Y, int Z)
{
    public long Count => (long)X * Y * Z;

    public int Index(int x, int y, int z) => (x * Y + y) * Z + z;

    /// <summary>The smaller of the two sizes on each axis (e.g. a window stride that never exceeds the patch).</summary>
    public Shape3 AtMost(Shape3 limit) => new(Math.Min(X, limit.X), Math.Min(Y, limit.Y), Math.Min(Z, limit.Z));

    /// <summary>Whether some axis is larger than <paramref name="limit"/>'s.</summary>
    public bool Exceeds(Shape3 limit) => X > limit.X || Y > limit.Y || Z > limit.Z;

    public override string ToString() => $"{X}×{Y}×{Z}";

    /// <summary>Parses "X,Y,Z" (also accepts 'x' as separator); an error names <paramref name="option"/> when given.</summary>
    public static Shape3 Parse(string text, string? option = null)
    {
        var parts = text.Split([',', 'x', '×'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !int.TryParse(parts[0], out var x) || !int.TryParse(parts[1], out var y) || !int.TryParse(parts[2], out var z)
            || x <= 0 || y <= 0 || z <= 0)
            throw new PmcmException($"{(option is null ? "" : option + " ")}'{text}' is not a size: expected three positive integers X,Y,Z");
        return new Shape3(x, y, z);
    }
}
