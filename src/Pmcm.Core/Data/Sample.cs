using Pmcm.Core.Volumes;

namespace Pmcm.Core.Data;

/// <summary>
/// One training case (or a patch cut from it): image, label and signed distance field on the same
/// (X, Y, Z) grid, C order with Z fastest. Unlabeled cases may lack label and SDF; a batch then
/// carries zeros in their place (the losses ignore them).
/// </summary>
public sealed class Sample
{
    public Sample(string name, Shape3 shape, float[] image, byte[]? label, float[]? sdf, bool isLabeled)
    {
        Check(name, shape, image.LongLength, "image");
        if (label is not null) Check(name, shape, label.LongLength, "label");
        if (sdf is not null) Check(name, shape, sdf.LongLength, "sdf");
        if (isLabeled && label is null) throw new PmcmException($"case '{name}': a labeled case needs a label");
        Name = name;
        Shape = shape;
        Image = image;
        Label = label;
        Sdf = sdf;
        IsLabeled = isLabeled;
    }

    public string Name { get; }
    public Shape3 Shape { get; }
    public float[] Image { get; }
    public byte[]? Label { get; }
    public float[]? Sdf { get; }
    public bool IsLabeled { get; }

    /// <summary>The same case with new arrays of a new shape (what every transform produces).</summary>
    public Sample With(Shape3 shape, float[] image, byte[]? label, float[]? sdf) => new(Name, shape, image, label, sdf, IsLabeled);

    private static void Check(string name, Shape3 shape, long length, string what)
    {
        if (length != shape.Count)
            throw new PmcmException($"case '{name}': {what} has {length} values but shape {shape} needs {shape.Count}");
    }
}
