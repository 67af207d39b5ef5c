using Pmcm.Core.Data;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Inference;

/// <summary>
/// Whole-volume prediction from patch-sized windows, as the reference's <c>test_single_case</c>:
/// windows from <see cref="WindowPlan"/> (zero padding where the volume is smaller than the patch),
/// foreground probabilities blended by <see cref="WindowAggregator"/>, then thresholded
/// (&gt; <see cref="SlidingWindowOptions.Threshold"/>) on the original grid.
/// </summary>
public static class SlidingWindow
{
    public static SlidingWindowResult Predict(float[] image, Shape3 shape, SlidingWindowOptions options, WindowBatchPredictor predict)
    {
        if (image.LongLength != shape.Count) throw new PmcmException($"image has {image.LongLength} values but shape {shape} needs {shape.Count}");
        if (options.WindowsPerBatch < 1) throw new PmcmException($"windows per batch {options.WindowsPerBatch} must be at least 1");
        var patch = options.Patch;
        var plan = WindowPlan.Create(shape, patch, options.Stride);
        var weights = options.Weighting == WindowWeighting.Gaussian ? GaussianImportance.Create(patch, options.GaussianSigmaFraction) : [];
        var aggregator = new WindowAggregator(plan, weights);
        var voxels = (int)patch.Count;
        // One input and one output buffer for all batches: windows are a few MB each, and a volume has dozens.
        var batchCapacity = Math.Min(options.WindowsPerBatch, plan.Count) * voxels;
        var windows = new float[batchCapacity];
        var probabilities = new float[batchCapacity];

        for (var first = 0; first < plan.Count; first += options.WindowsPerBatch)
        {
            var count = Math.Min(options.WindowsPerBatch, plan.Count - first);
            for (var w = 0; w < count; w++)
            {
                var o = plan.VolumeOrigin(first + w);
                BoxCopy.Extract<float>(image, shape, o.X, o.Y, o.Z, windows.AsSpan(w * voxels, voxels), patch);
            }
            predict(windows.AsSpan(0, count * voxels), count, probabilities.AsSpan(0, count * voxels));
            for (var w = 0; w < count; w++)
                aggregator.Add(first + w, probabilities.AsSpan(w * voxels, voxels));
        }

        var probability = aggregator.Average();
        return new SlidingWindowResult(shape, probability, Threshold(probability, options.Threshold), plan.Count);
    }

    /// <summary>
    /// Prediction for a scan on the grid a network was trained on: the scan is brought onto <paramref name="grid"/>
    /// (shrunk trilinearly and standardised, as training loaded its cases), segmented there, and the foreground
    /// probability is brought back trilinearly to the scan's own grid before thresholding (for two classes, &gt; ½ is
    /// the argmax).
    /// </summary>
    public static SlidingWindowResult Predict(Volume scan, TrainingGrid grid, SlidingWindowOptions options, WindowBatchPredictor predict)
    {
        var image = grid.Image(scan);
        var coarse = Predict(image.Data, image.Shape, options, predict);
        if (grid.Downsample == 1) return coarse;
        var probability = Resampling.Enlarge(new Volume(image.Shape, coarse.Probability), grid.Downsample, scan.Shape);
        return new SlidingWindowResult(scan.Shape, probability, Threshold(probability, options.Threshold), coarse.Windows);
    }

    private static byte[] Threshold(float[] probability, float threshold)
    {
        var mask = new byte[probability.Length];
        for (var i = 0; i < mask.Length; i++) mask[i] = probability[i] > threshold ? (byte)1 : (byte)0;
        return mask;
    }
}
