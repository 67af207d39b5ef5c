using Pmcm.Core.Data;

namespace Pmcm.Core.Transforms;

/// <summary>
/// The reference's training transform chain: optional <see cref="RandomRotFlip"/>, then
/// <see cref="RandomCrop"/>, with the same draws in the same order (k, flip axis, then the crop origin).
/// The two are fused: the crop reads through the rotation, so only the patch is ever written.
/// </summary>
public sealed class TrainingAugmentation(AugmentationOptions options)
{
    public AugmentationOptions Options { get; } = options;

    public Sample Apply(Sample sample, Rng rng)
    {
        var view = Options.RotateFlip
            ? new PlaneRotFlip(rng.NextInt(4), rng.NextInt(2), sample.Shape)
            : PlaneRotFlip.Identity(sample.Shape);
        return RandomCrop.Apply(sample, view, Options.Patch, rng);
    }
}
