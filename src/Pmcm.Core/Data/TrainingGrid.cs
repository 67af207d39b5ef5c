using Pmcm.Core.IO;
using Pmcm.Core.Preparation;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Data;

/// <summary>
/// The grid and intensities a run trains and scores on. Each case is shrunk by <see cref="Downsample"/> (the image
/// trilinear, the label nearest, <see cref="Resampling.Shrink"/>); with <see cref="Standardise"/> its image is then
/// z-scored over the shrunk volume (<see cref="ZScore"/>). Training, validation, eval and predict all load through
/// here, so a network sees at inference what it saw in training. A stored SDF is dropped when shrinking, since it
/// must be recomputed on the new grid.
/// </summary>
/// <param name="Downsample">Integer shrink factor; 1 = the stored grid.</param>
/// <param name="Standardise">
/// Z-score each image again after loading. The LA files are z-scored over the whole raw scan before cropping, so a
/// crop's intensities depend on what lay outside it: the darkest training case's atrium averages 0.3 where the
/// labeled cases' average 1.3–3.7 (docs/la-protocol-notes.md). Off by default: the data as the reference reads it.
/// </param>
public sealed record TrainingGrid(int Downsample = 1, bool Standardise = false)
{
    /// <summary>Cases as stored.</summary>
    public static TrainingGrid Stored { get; } = new();

    /// <summary>Reads a case's HDF5 file onto this grid; an image that cannot be standardised is an error naming the file.</summary>
    public H5Case Load(string path)
    {
        var c = H5Case.Read(path);
        try
        {
            return Apply(c);
        }
        catch (PmcmException e)
        {
            throw new PmcmException($"{path}: {e.Message}");
        }
    }

    /// <summary>The case on this grid: image shrunk (and standardised), label shrunk, SDF dropped if shrunk.</summary>
    public H5Case Apply(H5Case c)
    {
        if (Downsample == 1 && !Standardise) return c;
        var label = Downsample == 1 || c.Label is null ? c.Label : Resampling.Shrink(c.Label, Downsample, nearest: true);
        return new H5Case(Image(c.Image), label, Downsample == 1 ? c.Sdf : null);
    }

    /// <summary>An image on this grid: shrunk, then standardised if the grid says so.</summary>
    public Volume Image(Volume image)
    {
        var shrunk = Downsample == 1 ? image : Resampling.Shrink(image, Downsample, nearest: false);
        return Standardise ? ZScore.Apply(shrunk) : shrunk;
    }
}
