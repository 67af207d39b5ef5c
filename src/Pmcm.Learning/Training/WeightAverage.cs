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
    private readonly double decay;
    /// <summary>Each averaged tensor with the network's tensor it follows; both live as long as their modules.</summary>
    private readonly IReadOnlyList<(Tensor Target, Tensor Value)> pairs;

    public WeightAverage(SegmentationNet source, SegmentationNet average, double decay)
    {
        if (!(decay > 0 && decay < 1)) throw new PmcmException($"--ema-decay {decay} must be between 0 and 1 (exclusive), or 0 for off");
        this.decay = decay;
        Network = average;
        pairs = Pair(source, average);
        using var scope = NewDisposeScope();
        using var quiet = no_grad();
        foreach (var (target, value) in pairs) target.copy_(value);
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
        foreach (var (target, value) in pairs)
        {
            // Integer buffers (BatchNorm's num_batches_tracked) are counters, not estimates: copied.
            if (target.is_floating_point()) target.mul_(alpha).add_(value, alpha: 1.0 - alpha);
            else target.copy_(value);
        }
    }

    private static List<(Tensor Target, Tensor Value)> Pair(SegmentationNet source, SegmentationNet average)
    {
        static IEnumerable<(string Name, Tensor Tensor)> All(SegmentationNet net) =>
            net.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(net.named_buffers());
        var values = All(source).ToDictionary(p => p.Name, p => p.Tensor);
        return All(average)
            .Select(t => (t.Tensor, values.TryGetValue(t.Name, out var value) ? value : throw new PmcmException($"weight average: the network has no '{t.Name}'")))
            .ToList();
    }

    public void Dispose() => Network.Dispose();
}
