using Pmcm.Core;

namespace Pmcm.Learning.Losses;

/// <summary>
/// The reference code's quirks (docs/method.md, marked "quirk") that a run may turn into the behaviour the paper
/// describes; none by default, so that a default run reproduces the published code.
/// </summary>
[Flags]
public enum ReferenceCorrections
{
    None = 0,
    /// <summary>PML's cross-entropy on the student's logits instead of its probabilities.</summary>
    PmlCrossEntropy = 1,
    /// <summary>Decoder 1's SDF cycle as a mean squared difference instead of a squared mean difference.</summary>
    SdfCycle = 2,
    /// <summary>κ and ρ ramped with iteration t like every other weight instead of t + 1.</summary>
    PmlRampIteration = 4,
}

public static class ReferenceCorrectionNames
{
    private static readonly (string Name, ReferenceCorrections Flag)[] All =
    [
        ("pml-ce", ReferenceCorrections.PmlCrossEntropy),
        ("sdf-cycle", ReferenceCorrections.SdfCycle),
        ("pml-ramp", ReferenceCorrections.PmlRampIteration),
    ];

    public static string Allowed => string.Join(", ", All.Select(c => c.Name));

    /// <summary>The names of the set flags, in a fixed order (what run.json records).</summary>
    public static IReadOnlyList<string> Names(ReferenceCorrections corrections) =>
        All.Where(c => corrections.HasFlag(c.Flag)).Select(c => c.Name).ToList();

    /// <summary>The set flags as <see cref="Parse"/> reads them: comma-separated names, or "none".</summary>
    public static string Format(ReferenceCorrections corrections) =>
        corrections == ReferenceCorrections.None ? "none" : string.Join(",", Names(corrections));

    /// <summary>A comma-separated list of names, "all", or "none"/empty.</summary>
    public static ReferenceCorrections Parse(string text)
    {
        var result = ReferenceCorrections.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()))
        {
            if (name == "none") continue;
            if (name == "all") return All.Aggregate(ReferenceCorrections.None, (a, c) => a | c.Flag);
            var match = All.Where(c => c.Name == name).ToList();
            if (match.Count == 0) throw new PmcmException($"--correct '{name}': use {Allowed}, all or none");
            result |= match[0].Flag;
        }
        return result;
    }

    public static PmcmLossOptions ApplyTo(this ReferenceCorrections corrections, PmcmLossOptions options) => options with
    {
        CorrectPmlCrossEntropy = corrections.HasFlag(ReferenceCorrections.PmlCrossEntropy),
        CorrectSdfCycle = corrections.HasFlag(ReferenceCorrections.SdfCycle),
        CorrectPmlRampIteration = corrections.HasFlag(ReferenceCorrections.PmlRampIteration),
    };
}
