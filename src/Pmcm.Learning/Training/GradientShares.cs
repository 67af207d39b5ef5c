using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>One loss part's gradient against the whole step's: how large, how aligned, and how much of the step it makes.</summary>
/// <param name="Norm">‖g_i‖, the L2 norm of this part's gradient over every parameter.</param>
/// <param name="Cosine">cos(g_i, g), with g the total loss's gradient; 0 when either is zero.</param>
/// <param name="Share">⟨g_i, g⟩ / ‖g‖²: the part's projection on the step. The parts' shares sum to 1.</param>
public sealed record GradientShare(string Part, double Norm, double Cosine, double Share);

/// <summary>One batch's total gradient norm and each part's <see cref="GradientShare"/>, in the parts' order.</summary>
public sealed record GradientSplit(double TotalNorm, IReadOnlyList<GradientShare> Parts);

/// <summary>
/// Splits one step's gradient by loss part. A term's value says little about how it moves the weights: a term worth
/// 1 % of the loss can steer a large share of the step when its gradient is large or aligned with the total's.
/// Each part is differentiated on its own (the graph is kept between parts); because the parts sum to the total,
/// their gradients sum to the step's and their shares to 1. Dot products are taken in float64.
/// </summary>
public static class GradientShares
{
    public static GradientSplit Of(IReadOnlyDictionary<string, Tensor> parts, IReadOnlyList<Tensor> parameters)
    {
        if (parts.Count == 0) throw new ArgumentException("no loss parts to split", nameof(parts));
        using var scope = NewDisposeScope();
        var gradients = parts.Select(p => Flat(p.Value, parameters)).ToList();
        var total = gradients.Aggregate((a, b) => a + b);
        var totalSquared = total.dot(total).item<double>();
        var totalNorm = Math.Sqrt(totalSquared);
        var shares = parts.Keys.Zip(gradients, (name, g) =>
        {
            var norm = g.norm().item<double>();
            var dot = g.dot(total).item<double>();
            var cosine = norm > 0 && totalNorm > 0 ? dot / (norm * totalNorm) : 0;
            var share = totalSquared > 0 ? dot / totalSquared : 0;
            return new GradientShare(name, norm, cosine, share);
        }).ToList();
        return new GradientSplit(totalNorm, shares);
    }

    /// <summary>∂part/∂θ for every parameter, flattened into one float64 vector; zero where the part does not reach.</summary>
    private static Tensor Flat(Tensor part, IReadOnlyList<Tensor> parameters)
    {
        if (!part.requires_grad) return zeros(parameters.Sum(p => p.numel()), ScalarType.Float64);
        var gradients = autograd.grad([part], [.. parameters], retain_graph: true, allow_unused: true);
        return cat(parameters.Select((p, i) => gradients[i] is { } g && !g.IsInvalid
            ? g.detach().flatten().to_type(ScalarType.Float64)
            : zeros(p.numel(), ScalarType.Float64)).ToList(), 0);
    }
}
