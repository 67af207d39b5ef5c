using Pmcm.Core;
using Pmcm.Core.IO;
using Pmcm.Core.Metrics;
using Pmcm.Core.Volumes;

namespace Pmcm.Learning;

/// <summary>
/// The result of <see cref="Segmenter.Segment(Pmcm.Core.Volumes.Volume)"/>: a binary mask on the scan's own grid and geometry, the
/// foreground probability behind it, and what a report needs from them (volume in millilitres, metrics).
/// </summary>
public sealed class Segmentation
{
    internal Segmentation(Volume mask, float[] probability)
    {
        Mask = mask;
        Probability = probability;
    }

    /// <summary>The mask: uint8 voxels, 1 = foreground, with the scan's shape and geometry.</summary>
    public Volume Mask { get; }

    /// <summary>Foreground probability per voxel (same order as <see cref="Volume.Data"/>).</summary>
    public float[] Probability { get; }

    /// <summary>Number of foreground voxels.</summary>
    public long ForegroundVoxels => Mask.Data.LongCount(v => v != 0);

    /// <summary>Foreground volume in millilitres: voxels × the scan's voxel volume (spacing in mm) / 1000.</summary>
    public double VolumeMillilitres
    {
        get
        {
            var s = Mask.Geometry.Spacing;
            return ForegroundVoxels * s[0] * s[1] * s[2] / 1000;
        }
    }

    /// <summary>
    /// Dice, Jaccard, HD95 and ASD (medpy 0.4 definitions) against a reference label on the same grid (foreground =
    /// value &gt; 0). Distances are in millimetres when <paramref name="inMillimetres"/>, else in voxels as the papers report.
    /// </summary>
    /// <exception cref="PmcmException">The reference has another shape.</exception>
    public SegmentationScores Score(Volume reference, bool inMillimetres = false) =>
        SegmentationMetrics.Compute(Mask, reference, inMillimetres ? Mask.Geometry.Spacing : null);

    /// <summary>Writes the mask atomically in the format the extension names (.nii, .nii.gz, .nrrd keep the geometry; .h5 has none).</summary>
    public void Save(string path) => VolumeIO.Write(path, Mask);
}
