using Pmcm.Core.Volumes;

namespace Pmcm.Core.IO;

/// <summary>
/// One training case in the community HDF5 layout (mri_norm2.h5): `image` float32, `label` uint8 and
/// optionally `gt_dis` float32 (the signed distance map), all of the same (X, Y, Z) shape.
/// </summary>
public sealed record H5Case(Volume Image, Volume? Label = null, Volume? Sdf = null)
{
    public const string ImageName = "image";
    public const string LabelName = "label";
    public const string SdfName = "gt_dis";

    public static H5Case Read(string path, ReadLimits? limits = null)
    {
        var image = H5Volumes.Read(path, ImageName, limits);
        var names = H5Volumes.List(path).Select(d => d.Name).ToHashSet();
        var label = names.Contains(LabelName) ? H5Volumes.Read(path, LabelName, limits) : null;
        var sdf = names.Contains(SdfName) ? H5Volumes.Read(path, SdfName, limits) : null;
        foreach (var (name, v) in new[] { (LabelName, label), (SdfName, sdf) })
            if (v is not null && v.Shape != image.Shape)
                throw new PmcmException($"{path}: dataset '{name}' has shape {v.Shape} but '{ImageName}' has {image.Shape}");
        return new H5Case(image, label, sdf);
    }

    /// <summary>Writes the case with the community's element types, whatever the volumes' own types are.</summary>
    public void Write(string path, H5VolumeWriteOptions? options = null)
    {
        var datasets = new List<(string, Volume)> { (ImageName, WithType(Image, VoxelType.Float32)) };
        if (Label is not null) datasets.Add((LabelName, WithType(Label, VoxelType.UInt8)));
        if (Sdf is not null) datasets.Add((SdfName, WithType(Sdf, VoxelType.Float32)));
        H5Volumes.Write(path, datasets, options);
    }

    private static Volume WithType(Volume v, VoxelType type) => v.Type == type ? v : new Volume(v.Shape, v.Data, v.Geometry, type);
}
