using System.Runtime.InteropServices;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.Inference;
using Pmcm.Core.Morphology;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Inference;

/// <summary>
/// Segments whole volumes with a <see cref="SegmentationNet"/> by sliding windows (<see cref="SlidingWindow"/>):
/// the network runs in evaluation mode (set at every call, so a network that trains in between is still
/// evaluated with BatchNorm's running statistics and no dropout) without gradients on <see cref="InferenceOptions"/>'
/// window batches, on whichever device it was given and in <see cref="InferenceOptions.Precision"/>; every batch's
/// tensors are freed before the next.
/// </summary>
public sealed class SlidingWindowInferer
{
    // Mirrored copies for flip TTA: none, then X, Y and Z of the (batch, channel, X, Y, Z) tensor.
    private static readonly long[][] TtaFlips = [[], [2], [3], [4]];

    private readonly SegmentationNet _net;
    private readonly Device _device;

    public SlidingWindowInferer(SegmentationNet net, Device device, InferenceOptions options)
    {
        if (options.Window.Patch.X % 16 != 0 || options.Window.Patch.Y % 16 != 0 || options.Window.Patch.Z % 16 != 0)
            throw new PmcmException($"patch {options.Window.Patch} must be a multiple of 16 along every axis (the network halves it four times)");
        if (net.Options.Classes <= InferenceOptions.ForegroundClass)
            throw new PmcmException($"the network has {net.Options.Classes} class(es); a foreground class needs at least 2");
        Precisions.RequireSupported(options.Precision, device);
        _net = net;
        _device = device;
        Options = options;
        _net.to(device);
        _net.Precision = options.Precision;
    }

    public InferenceOptions Options { get; }

    /// <summary>Foreground probability and mask (largest component only, if asked) on the image's grid.</summary>
    public SlidingWindowResult Segment(float[] image, Shape3 shape) =>
        KeepLargest(SlidingWindow.Predict(image, shape, Options.Window, PredictWindows));

    /// <summary>
    /// Foreground probability and mask on the scan's own grid, for a network trained on <paramref name="grid"/>: it
    /// segments the scan brought onto that grid and brings the probability back trilinearly.
    /// </summary>
    public SlidingWindowResult Segment(Volume scan, TrainingGrid grid) =>
        KeepLargest(SlidingWindow.Predict(scan, grid, Options.Window, PredictWindows));

    private SlidingWindowResult KeepLargest(SlidingWindowResult result)
    {
        if (!Options.LargestComponent) return result;
        var mask = new bool[result.Mask.Length];
        for (var i = 0; i < mask.Length; i++) mask[i] = result.Mask[i] != 0;
        var largest = ConnectedComponents.Largest(mask, result.Shape);
        var kept = new byte[largest.Length];
        for (var i = 0; i < kept.Length; i++) kept[i] = largest[i] ? (byte)1 : (byte)0;
        return result with { Mask = kept };
    }

    private void PredictWindows(ReadOnlySpan<float> windows, int count, Span<float> probabilities)
    {
        var patch = Options.Window.Patch;
        _net.eval();
        using var quiet = TorchGcGuard.Enter();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = empty([count, 1, patch.X, patch.Y, patch.Z]);
        windows.CopyTo(MemoryMarshal.Cast<byte, float>(input.bytes));
        input = input.to(_device);
        var flips = Options.FlipTta ? TtaFlips : TtaFlips[..1];
        Tensor? sum = null;
        foreach (var dims in flips)
        {
            var seen = dims.Length == 0 ? input : input.flip(dims);
            var probability = Foreground(seen);
            if (dims.Length > 0) probability = probability.flip(dims);
            sum = sum is null ? probability : sum + probability;
        }
        var mean = (flips.Length == 1 ? sum! : sum! / flips.Length).cpu().contiguous();
        var values = MemoryMarshal.Cast<byte, float>(mean.bytes);
        if (values.Length != probabilities.Length)
            throw new InvalidOperationException($"the network returned {values.Length} values for {count} windows of {patch}");
        values.CopyTo(probabilities);
    }

    // Softmax foreground probability, kept as (batch, 1, X, Y, Z) so flips use the input's axis numbers. Decoder 1
    // alone runs only the encoder and that decoder.
    private Tensor Foreground(Tensor input)
    {
        if (!Options.BothDecoders) return Probability(_net.SegmentationLogits(input));
        var outputs = _net.forward(input);
        var second = outputs.Decoder2 ?? throw new PmcmException("--both-decoders needs a two-decoder network; this one has decoder 1 only");
        return (Probability(outputs.Decoder1.Seg) + Probability(second.Seg)) / 2;
    }

    private static Tensor Probability(Tensor logits) =>
        logits.softmax(1).narrow(1, InferenceOptions.ForegroundClass, 1);
}
