using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// The Pancreas-CT preparation of MC-Net's <c>Pre-processing.ipynb</c> (from NIfTI image and label), step by step:
/// <list type="number">
/// <item>resample to 1 mm on SimpleITK's grid (<see cref="IsotropicResampling"/>): cubic B-spline for the image
///   (what <c>sitkBSpline</c> computes), nearest neighbour for the label; label = (value ≠ 0);</item>
/// <item>clip to the window level 75 / width 400 (HU −125..275) and scale to [0, 1];</item>
/// <item>inclusive label bounds in X and Y; shortfall p = max(96 − (max − min), 0) div 2;
///   start = max(min − p − 25, 0), end = min(max + p + 25, size); crop X and Y to [start, end), keep Z whole;</item>
/// <item>z-score the cropped image with its own mean and population std (the notebook's last step; the issue's
///   summary stops at the [0, 1] window, <see cref="PancreasPreparationOptions.Standardise"/> = false gives that).</item>
/// </list>
/// Deterministic: no step is random.
/// </summary>
public static class PancreasPreparation
{
    public static PreparedCase Prepare(string name, Volume image, Volume label, PancreasPreparationOptions? options = null)
    {
        options ??= new PancreasPreparationOptions();
        if (label.Shape != image.Shape)
            throw new PmcmException($"the label has shape {label.Shape} but the image has {image.Shape}");
        var resampledLabel = IsotropicResampling.Resample(label, options.Spacing, ResamplingInterpolation.Nearest);
        var binary = new float[resampledLabel.Data.Length];
        for (var i = 0; i < binary.Length; i++) binary[i] = resampledLabel.Data[i] != 0 ? 1 : 0;
        var mask = new Volume(resampledLabel.Shape, binary, resampledLabel.Geometry, VoxelType.UInt8);
        var bounds = LabelBounds.Of(mask, v => v != 0);

        var resampled = IsotropicResampling.Resample(image, options.Spacing, ResamplingInterpolation.CubicBSpline);
        var windowed = options.Window.Apply(resampled);
        var s = windowed.Shape;
        var (x0, x1) = Range(bounds.MinX, bounds.MaxX, s.X, options);
        var (y0, y1) = Range(bounds.MinY, bounds.MaxY, s.Y, options);
        var box = new VoxelBox(x0, x1, y0, y1, 0, s.Z);
        var cropped = box.Crop(windowed);
        var prepared = options.Standardise ? ZScore.Apply(cropped) : cropped;
        return new PreparedCase(name, new H5Case(prepared, box.Crop(mask)), image.Shape, s, box);
    }

    private static (int Start, int End) Range(int min, int max, int size, PancreasPreparationOptions options)
    {
        var pad = Math.Max(options.Patch - (max - min), 0) / 2;
        return (Math.Max(min - pad - options.Margin, 0), Math.Min(max + pad + options.Margin, size));
    }
}
