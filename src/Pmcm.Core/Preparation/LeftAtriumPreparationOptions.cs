using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// The LA preparation's settings, defaulting to UA-MT's <c>la_heart_processing.py</c>.
/// <see cref="Patch"/>: a side of the label box shorter than this is widened by half the shortfall on each side.
/// <see cref="MarginXY"/>/<see cref="MarginZ"/>: the random margin added per side, drawn uniformly from [min, max).
/// <see cref="CropZ"/>: also crop Z; the published script computes the Z range but never applies it, so false.
/// <see cref="ForegroundValue"/>: the value of <c>laendo.nrrd</c> that marks the atrium.
/// </summary>
public sealed record LeftAtriumPreparationOptions
{
    public Shape3 Patch { get; init; } = new(112, 112, 80);
    public (int Min, int Max) MarginXY { get; init; } = (10, 20);
    public (int Min, int Max) MarginZ { get; init; } = (5, 10);
    public bool CropZ { get; init; }
    public float ForegroundValue { get; init; } = 255;
}
