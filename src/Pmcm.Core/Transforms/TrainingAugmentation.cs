using Pmcm.Core.Data;

namespace Pmcm.Core.Transforms;

/// <summary>The reference's training transform chain: optional <see cref="RandomRotFlip"/>, then <see cref="RandomCrop"/>.</summary>
public sealed class TrainingAugmentation(AugmentationOptions options)
{
    public AugmentationOptions Options { get; } = options;

    public Sample Apply(Sample sample, Rng rng)
    {
        var rotated = Options.RotateFlip ? RandomRotFlip.Apply(sample, rng) : sample;
        return RandomCrop.Apply(rotated, Options.Patch, rng);
    }
}
