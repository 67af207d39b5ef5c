using Pmcm.Core.Volumes;

namespace Pmcm.Core.Transforms;

/// <summary>
/// How a training sample is prepared: the patch size and whether the rotation/flip runs first
/// (LA: 112×112×80 with rotation/flip; Pancreas-CT: 96×96×96, crop only).
/// </summary>
public sealed record AugmentationOptions(Shape3 Patch, bool RotateFlip = true)
{
    public static AugmentationOptions LeftAtrium => new(new Shape3(112, 112, 80), RotateFlip: true);
    public static AugmentationOptions Pancreas => new(new Shape3(96, 96, 96), RotateFlip: false);
}
