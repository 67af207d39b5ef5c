namespace Pmcm.Core.IO;

/// <summary>What an HDF5 dataset is: its path inside the file, its shape and its numpy-style element type.</summary>
public sealed record H5DatasetInfo(string Name, long[] Shape, string Dtype)
{
    /// <summary>Whether it can be read as a <see cref="Volumes.Volume"/>: 3-D and numeric.</summary>
    public bool IsVolume => Shape.Length == 3 && (Dtype.StartsWith("int") || Dtype.StartsWith("uint") || Dtype.StartsWith("float"));
}
