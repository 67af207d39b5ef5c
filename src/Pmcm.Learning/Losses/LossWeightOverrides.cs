using System.Globalization;
using Pmcm.Core;

namespace Pmcm.Learning.Losses;

/// <summary>
/// Weights of the PMCM objective (docs/method.md §5) set away from the preset's, by the equation's names:
/// <c>lambda</c> (λ, supervised), <c>beta</c> (β, SDF), <c>gamma</c> (γ, task consistency), <c>phi</c> (φ,
/// diversity), <c>mu</c> (μ, cycles), <c>kappa</c> (κ, PML), <c>rho</c> (ρ, UAL). A null weight keeps the preset's,
/// so a run records what it changed and the paper's defaults stay the one source of every other weight.
/// </summary>
public sealed record LossWeightOverrides
{
    public double? Lambda { get; init; }
    public double? Beta { get; init; }
    public double? Gamma { get; init; }
    public double? Phi { get; init; }
    public double? Mu { get; init; }
    public double? Kappa { get; init; }
    public double? Rho { get; init; }

    /// <summary>The preset's weights, unchanged; written as <see cref="PaperName"/>.</summary>
    public static LossWeightOverrides None { get; } = new();

    public const string PaperName = "paper";

    public bool IsNone => this == None;

    private static readonly (string Name, Func<LossWeightOverrides, double?> Get, Func<LossWeightOverrides, double, LossWeightOverrides> Set)[] Weights =
    [
        ("lambda", w => w.Lambda, (w, v) => w with { Lambda = v }),
        ("beta", w => w.Beta, (w, v) => w with { Beta = v }),
        ("gamma", w => w.Gamma, (w, v) => w with { Gamma = v }),
        ("phi", w => w.Phi, (w, v) => w with { Phi = v }),
        ("mu", w => w.Mu, (w, v) => w with { Mu = v }),
        ("kappa", w => w.Kappa, (w, v) => w with { Kappa = v }),
        ("rho", w => w.Rho, (w, v) => w with { Rho = v }),
    ];

    public static string Allowed => string.Join(", ", Weights.Select(w => w.Name));

    /// <summary>"gamma=0.5,mu=0.05": the set weights in the equation's order (what run.json records), or "paper".</summary>
    public override string ToString()
    {
        var set = Weights.Where(w => w.Get(this) is not null).Select(w => $"{w.Name}={w.Get(this)!.Value.ToString("R", CultureInfo.InvariantCulture)}").ToList();
        return set.Count == 0 ? PaperName : string.Join(",", set);
    }

    /// <summary>Comma-separated <c>name=value</c> pairs, or "paper"/empty for none; each weight finite and not negative, named once.</summary>
    public static LossWeightOverrides Parse(string text)
    {
        var result = None;
        var seen = new HashSet<string>();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (string.Equals(pair, PaperName, StringComparison.OrdinalIgnoreCase)) continue;
            var parts = pair.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2) throw new PmcmException($"--loss-weights '{pair}': expected name=value, e.g. gamma=0.5 (names: {Allowed})");
            var name = parts[0].ToLowerInvariant();
            var weight = Weights.FirstOrDefault(w => w.Name == name);
            if (weight.Name is null) throw new PmcmException($"--loss-weights '{parts[0]}': not a weight of the objective; use {Allowed}");
            if (!seen.Add(name)) throw new PmcmException($"--loss-weights: {name} is given twice");
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
                throw new PmcmException($"--loss-weights {name}='{parts[1]}': a weight must be a finite number, 0 or more");
            result = weight.Set(result, value);
        }
        return result;
    }

    /// <summary>The preset's objective with these weights in place of its own.</summary>
    public PmcmLossOptions ApplyTo(PmcmLossOptions options) => options with
    {
        Supervised = Lambda ?? options.Supervised,
        Sdf = Beta ?? options.Sdf,
        TaskConsistency = Gamma ?? options.TaskConsistency,
        Diversity = Phi ?? options.Diversity,
        Cycles = Mu ?? options.Cycles,
        Pml = Kappa ?? options.Pml,
        Ual = Rho ?? options.Ual,
    };
}
