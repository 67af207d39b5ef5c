using Pmcm.Core.IO;

namespace Pmcm.Core.Preparation;

/// <summary>Finds the cases of the raw releases that <c>pmcm prepare</c> reads, in name order.</summary>
public static class RawDatasets
{
    /// <summary>The 2018 Atrial Segmentation Challenge's scan file in each case folder.</summary>
    public const string LeftAtriumImage = "lgemri.nrrd";

    /// <summary>Its label file (255 = atrium).</summary>
    public const string LeftAtriumLabel = "laendo.nrrd";

    /// <summary>Every sub-folder of <paramref name="input"/> holding <c>lgemri.nrrd</c>; a missing <c>laendo.nrrd</c> leaves LabelPath null.</summary>
    public static IReadOnlyList<RawCase> LeftAtrium(string input)
    {
        if (!Directory.Exists(input)) throw new PmcmException($"{input}: no such input folder");
        var cases = Directory.EnumerateDirectories(input)
            .Where(d => File.Exists(Path.Combine(d, LeftAtriumImage)))
            .Order(StringComparer.Ordinal)
            .Select(d => new RawCase(Path.GetFileName(d), Path.Combine(d, LeftAtriumImage),
                File.Exists(Path.Combine(d, LeftAtriumLabel)) ? Path.Combine(d, LeftAtriumLabel) : null))
            .ToList();
        if (cases.Count == 0) throw new PmcmException($"{input}: no <case>/{LeftAtriumImage} found");
        return cases;
    }

    /// <summary>
    /// Every NIfTI file of <paramref name="images"/>, named by its stem, with the label of <paramref name="labels"/>
    /// that has the same file name, or the same name with "image" replaced by "label" (MC-Net's
    /// <c>image0001.nii.gz</c> / <c>label0001.nii.gz</c>).
    /// </summary>
    public static IReadOnlyList<RawCase> Pancreas(string images, string labels)
    {
        if (!Directory.Exists(images)) throw new PmcmException($"{images}: no such images folder");
        if (!Directory.Exists(labels)) throw new PmcmException($"{labels}: no such labels folder");
        var cases = Directory.EnumerateFiles(images)
            .Where(f => VolumeFormats.IsVolume(f) && VolumeFormats.FromPath(f) is VolumeFormat.Nifti or VolumeFormat.NiftiGz)
            .Order(StringComparer.Ordinal)
            .Select(f => new RawCase(VolumeFormats.Stem(f), f, Label(Path.GetFileName(f), labels)))
            .ToList();
        if (cases.Count == 0) throw new PmcmException($"{images}: no NIfTI images (.nii, .nii.gz)");
        return cases;
    }

    private static string? Label(string imageFile, string labels)
    {
        var index = imageFile.IndexOf("image", StringComparison.Ordinal);
        var candidates = index < 0 ? [imageFile] : new[] { imageFile, string.Concat(imageFile.AsSpan(0, index), "label", imageFile.AsSpan(index + 5)) };
        return candidates.Select(c => Path.Combine(labels, c)).FirstOrDefault(File.Exists);
    }
}
