namespace Pmcm.Core.Inference;

/// <summary>How overlapping windows are blended.</summary>
public enum WindowWeighting
{
    /// <summary>Plain average over the windows covering a voxel (the reference).</summary>
    Uniform,

    /// <summary>Centre-weighted average with a Gaussian importance map (nnU-Net / MONAI style).</summary>
    Gaussian,
}
