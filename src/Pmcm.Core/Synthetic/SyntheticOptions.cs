using Pmcm.Core.Volumes;

namespace Pmcm.Core.Synthetic;

/// <summary>
/// How the synthetic LA-like dataset is made. Sizes are in voxels; intensities are before z-scoring
/// (tissue ≈ <see cref="TissueIntensity"/>, blood pool ≈ <see cref="BloodIntensity"/>).
/// </summary>
public sealed record SyntheticOptions
{
    public Shape3 Size { get; init; } = new(112, 112, 80);
    public int Cases { get; init; } = 40;
    public int Seed { get; init; } = 1337;

    /// <summary>Share of the cases listed in test.list (the last ones); 0.2 of 40 gives 32 train / 8 test.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Atrium semi-axes as fractions of the volume size, drawn uniformly in [min, max].</summary>
    public double AtriumRadiusMin { get; init; } = 0.17;
    public double AtriumRadiusMax { get; init; } = 0.24;

    /// <summary>Relative amplitude of the smooth bumps on the atrium's surface.</summary>
    public double AtriumBumpiness { get; init; } = 0.12;

    public int VeinsMin { get; init; } = 2;
    public int VeinsMax { get; init; } = 4;
    public double VeinRadiusMin { get; init; } = 2.5;
    public double VeinRadiusMax { get; init; } = 5;
    public double VeinLengthMin { get; init; } = 12;
    public double VeinLengthMax { get; init; } = 26;

    /// <summary>Radius of the unlabeled aorta-like tube that runs along Z.</summary>
    public double AortaRadiusMin { get; init; } = 5;
    public double AortaRadiusMax { get; init; } = 8;

    /// <summary>Semi-axes of the unlabeled spine-like blob.</summary>
    public double SpineRadiusMin { get; init; } = 6;
    public double SpineRadiusMax { get; init; } = 10;

    public double TissueIntensity { get; init; } = 0.3;
    public double BloodIntensity { get; init; } = 1.0;

    /// <summary>The spine's brightness relative to blood: close, so brightness alone cannot separate them.</summary>
    public double SpineIntensity { get; init; } = 0.95;

    /// <summary>Peak relative amplitude of the smooth multiplicative bias field.</summary>
    public double BiasAmplitude { get; init; } = 0.3;

    /// <summary>Standard deviation of each Gaussian component of the Rician noise.</summary>
    public double NoiseSigma { get; init; } = 0.12;

    public void Validate()
    {
        if (Cases < 1) throw new PmcmException($"synthetic data: need at least one case, got {Cases}");
        if (Size.X < 16 || Size.Y < 16 || Size.Z < 16)
            throw new PmcmException($"synthetic data: size {Size} is too small, each axis needs at least 16 voxels");
        if (Size.Count > 512L * 512 * 512) throw new PmcmException($"synthetic data: size {Size} is too large");
        if (TestFraction is < 0 or >= 1) throw new PmcmException($"synthetic data: test fraction {TestFraction} is not in [0, 1)");
        if (VeinsMin < 0 || VeinsMax < VeinsMin) throw new PmcmException($"synthetic data: vein count range {VeinsMin}..{VeinsMax} is invalid");
    }

    /// <summary>How many of the cases go to test.list (at least one when there are two or more cases).</summary>
    public int TestCases => Cases < 2 ? 0 : Math.Clamp((int)Math.Round(Cases * TestFraction), TestFraction > 0 ? 1 : 0, Cases - 1);
}
