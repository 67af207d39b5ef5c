namespace Pmcm.Cli.Rendering;

/// <summary>
/// Look of a mask overlay: <see cref="Slices"/> axial (Z) slices side by side, each pixel drawn
/// <see cref="Scale"/>×<see cref="Scale"/>, grey levels stretched between the <see cref="LowPercentile"/> and
/// <see cref="HighPercentile"/> of the image, mask outline in <see cref="ContourRgb"/>.
/// </summary>
public sealed record OverlayOptions(
    int Slices = 4,
    int Scale = 2,
    double LowPercentile = 1,
    double HighPercentile = 99,
    uint ContourRgb = 0xFF3030,
    int Gap = 4);
