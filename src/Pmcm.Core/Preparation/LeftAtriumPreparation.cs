using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// The 2018 Atrial Segmentation Challenge preparation of UA-MT's <c>la_heart_processing.py</c>, step by step:
/// <list type="number">
/// <item>label = (laendo == 255) as uint8;</item>
/// <item>inclusive bounds min..max of the label per axis;</item>
/// <item>shortfall p = max(patch − (max − min), 0) div 2 per axis;</item>
/// <item>start = max(min − m − p, 0) and end = min(max + m' + p, size), with fresh margins m, m' in [10, 20) for X and
///   Y and [5, 10) for Z, drawn in the order start X, end X, start Y, end Y, start Z, end Z;</item>
/// <item>image z-scored with the mean and population std of the whole raw volume, as float32;</item>
/// <item>image and label cut to [start, end) in X and Y; Z only when <see cref="LeftAtriumPreparationOptions.CropZ"/>.</item>
/// </list>
/// The margins come from the caller's generator, so a seed reproduces the crops.
/// </summary>
public static class LeftAtriumPreparation
{
    public static PreparedCase Prepare(string name, Volume image, Volume laendo, Rng rng, LeftAtriumPreparationOptions? options = null)
    {
        options ??= new LeftAtriumPreparationOptions();
        if (laendo.Shape != image.Shape)
            throw new PmcmException($"the label has shape {laendo.Shape} but the image has {image.Shape}");
        var foreground = options.ForegroundValue;
        var bounds = LabelBounds.Of(laendo, v => v == foreground);
        var s = image.Shape;
        var (x0, x1) = Range(bounds.MinX, bounds.MaxX, options.Patch.X, s.X, options.MarginXY, rng);
        var (y0, y1) = Range(bounds.MinY, bounds.MaxY, options.Patch.Y, s.Y, options.MarginXY, rng);
        var (z0, z1) = Range(bounds.MinZ, bounds.MaxZ, options.Patch.Z, s.Z, options.MarginZ, rng);
        var box = options.CropZ ? new VoxelBox(x0, x1, y0, y1, z0, z1) : new VoxelBox(x0, x1, y0, y1, 0, s.Z);

        var label = new float[laendo.Data.Length];
        for (var i = 0; i < label.Length; i++) label[i] = laendo.Data[i] == foreground ? 1 : 0;
        var binary = new Volume(s, label, image.Geometry, VoxelType.UInt8);
        var standardised = ZScore.Apply(image);
        return new PreparedCase(name, new H5Case(box.Crop(standardised), box.Crop(binary)), s, s, box);
    }

    /// <summary>
    /// The generator for one case's margins: its own stream of (seed, FNV-1a hash of the name), so a case's crop
    /// does not depend on which other cases the input holds or on their order.
    /// </summary>
    public static Rng RngFor(ulong seed, string caseName)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in caseName) hash = (hash ^ c) * 1099511628211UL;
        return Rng.ForStream(seed, hash);
    }

    private static (int Start, int End) Range(int min, int max, int patch, int size, (int Min, int Max) margin, Rng rng)
    {
        var pad = Math.Max(patch - (max - min), 0) / 2;
        var start = Math.Max(min - Draw(margin, rng) - pad, 0);
        var end = Math.Min(max + Draw(margin, rng) + pad, size);
        return (start, end);
    }

    private static int Draw((int Min, int Max) margin, Rng rng)
    {
        if (margin.Max <= margin.Min) throw new PmcmException($"margin range [{margin.Min}, {margin.Max}) is empty");
        return margin.Min + rng.NextInt(margin.Max - margin.Min);
    }
}
