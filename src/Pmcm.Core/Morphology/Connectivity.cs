namespace Pmcm.Core.Morphology;

/// <summary>Which voxels touch: sharing a face (6 neighbours) or also an edge or a corner (26 neighbours).</summary>
public enum Connectivity
{
    Face6 = 6,
    Full26 = 26,
}
