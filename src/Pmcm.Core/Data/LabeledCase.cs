using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Data;

/// <summary>One case to score, on the grid it is scored on: its name, image and binary label (1 = foreground).</summary>
public sealed record LabeledCase(string Name, Volume Image, byte[] Label)
{
    /// <summary>Reads a case's HDF5 file and brings it onto the grid a run trained on.</summary>
    public static LabeledCase Load(string name, string path, TrainingGrid grid)
    {
        var c = grid.Load(path);
        if (c.Label is null) throw new PmcmException($"{path}: case has no '{H5Case.LabelName}' dataset to score against");
        return new LabeledCase(name, c.Image, Binary(c.Label));
    }

    /// <summary>Label values above 0 as 1, the rest as 0.</summary>
    public static byte[] Binary(Volume label)
    {
        var result = new byte[label.Data.Length];
        for (var i = 0; i < result.Length; i++) result[i] = label.Data[i] > 0 ? (byte)1 : (byte)0;
        return result;
    }
}
