namespace Pmcm.Core.Preparation;

/// <summary>
/// The Pancreas-CT preparation's settings, defaulting to MC-Net's <c>Pre-processing.ipynb</c>.
/// <see cref="Spacing"/>: target isotropic spacing in mm. <see cref="Window"/>: HU window mapped to [0, 1].
/// <see cref="Patch"/>: a side of the label box in X or Y shorter than this is widened by half the shortfall on
/// each side. <see cref="Margin"/>: voxels added on each side in X and Y. <see cref="Standardise"/>: z-score the
/// cropped, windowed image, as the notebook does last (false keeps the [0, 1] window scale).
/// </summary>
public sealed record PancreasPreparationOptions
{
    public double Spacing { get; init; } = 1.0;
    public IntensityWindow Window { get; init; } = new(75, 400);
    public int Patch { get; init; } = 96;
    public int Margin { get; init; } = 25;
    public bool Standardise { get; init; } = true;
}
