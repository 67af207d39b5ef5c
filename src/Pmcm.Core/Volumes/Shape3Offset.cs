namespace Pmcm.Core.Volumes;

/// <summary>A per-axis voxel offset or pad (X, Y, Z), e.g. the corner of a crop or a padding width.</summary>
public readonly record struct Shape3Offset(int X, int Y, int Z)
{
    public override string ToString() => $"({X}, {Y}, {Z})";
}
