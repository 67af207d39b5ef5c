using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// The L2 norm of all parameters' gradients taken together, logged by every step before its update as
/// <see cref="Column"/>: a training run that suddenly loses what it had learned shows here first (one step whose
/// update is far larger than its neighbours'), where the loss terms only show the damage afterwards. With a limit
/// (<c>--clip-grad-norm</c>), a larger gradient is scaled down to that norm before the update, keeping its direction.
/// </summary>
public static class GradientNorm
{
    public const string Column = "grad_norm";

    /// <summary>
    /// √Σ g² over every gradient: each tensor's own norm (one pass, no copy), squared and summed in float64;
    /// parameters without a gradient count as zero.
    /// </summary>
    public static double Of(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var sum = 0.0;
        foreach (var p in parameters)
            if (p.grad is { } g)
            {
                var norm = (double)g.detach().norm().cpu().item<float>();
                sum += norm * norm;
            }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// The gradient norm before clipping; when <paramref name="limit"/> is positive and the norm exceeds it, every
    /// gradient is multiplied by limit / norm so that their joint norm is the limit.
    /// </summary>
    public static double Clip(IReadOnlyList<Parameter> parameters, double limit)
    {
        var norm = Of(parameters);
        if (limit > 0 && norm > limit)
            foreach (var p in parameters)
                p.grad?.mul_(limit / norm);
        return norm;
    }
}
