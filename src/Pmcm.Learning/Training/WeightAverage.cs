using Pmcm.Core;
using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// An exponential moving average of the network's weights and BatchNorm statistics (Polyak averaging; Mean
/// Teacher's teacher, here only evaluated, never trained against): after every step
/// <c>average ← α·average + (1 − α)·weights</c> with <c>α = min(decay, 1 − 1/(steps + 1))</c>, so the first steps
/// average everything so far instead of leaning on the random initialisation. SGD at a constant rate on 2 labeled
/// crops walks the weights around a minimum; validating and keeping the average instead of the last point removes
/// most of the checkpoint-to-checkpoint swing (docs/la-protocol-notes.md). Training itself is unchanged.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly SegmentationNet source;
    private readonly double decay;

    public WeightAverage(SegmentationNet source, SegmentationNet average, double decay)
    {
        if (!(decay > 0 && decay < 1)) throw new PmcmException($"--ema-decay {decay} must be between 0 and 1 (exclusive), or 0 for off");
        this.source = source;
        this.decay = decay;
        Network = average;
        using var scope = NewDisposeScope();
        using var quiet = no_grad();
        foreach (var (target, value) in Pairs()) target.copy_(value);
        Network.eval();
    }

    /// <summary>The averaged network: what validation scores and best.pth / last.pth hold.</summary>
    public SegmentationNet Network { get; }

    /// <summary>The weight of the old average after <paramref name="steps"/> optimisation steps (steps ≥ 1).</summary>
    public double Momentum(long steps) => Math.Min(decay, 1.0 - 1.0 / (steps + 1));

    /// <summary>Folds the network's current weights in; call once after each optimisation step.</summary>
    public void Update(long steps)
    {
        var alpha = Momentum(steps);
        using var scope = NewDisposeScope();
        using var quiet = no_grad();
        foreach (var (target, value) in Pairs())
        {
            // Integer buffers (BatchNorm's num_batches_tracked) are counters, not estimates: copied.
            if (target.is_floating_point()) target.mul_(alpha).add_(value, alpha: 1.0 - alpha);
            else target.copy_(value);
        }
    }

    private IEnumerable<(Tensor Target, Tensor Value)> Pairs()
    {
        var targets = Network.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(Network.named_buffers()).ToList();
        var values = source.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(source.named_buffers()).ToDictionary(p => p.name, p => p.Item2);
        foreach (var (name, target) in targets)
        {
            if (!values.TryGetValue(name, out var value)) throw new PmcmException($"weight average: the network has no '{name}'");
            yield return (target, value);
        }
    }

    public void Dispose() => Network.Dispose();
}
