using Pmcm.Core.Volumes;

namespace Pmcm.Core.Transforms;

/// <summary>
/// The reference RandomCrop's padding rule. If the volume is not larger than the patch in at least one
/// axis (<c>size ≤ patch</c>), every axis is zero-padded on both sides by
/// <c>max((patch − size) // 2 + 3, 0)</c> with Python's floor division. (quirk) Because floor division
/// rounds towards −∞, an axis only 1–4 voxels larger than the patch is then padded too (by 2 or 1).
/// The result is always strictly larger than the patch, so a crop origin exists in every axis.
/// </summary>
public static class CropPadding
{
    /// <summary>The pad added before and after each axis (0, 0, 0 when the volume is large enough).</summary>
    public static Shape3Offset For(Shape3 size, Shape3 patch)
    {
        if (size.X > patch.X && size.Y > patch.Y && size.Z > patch.Z) return new Shape3Offset(0, 0, 0);
        return new Shape3Offset(Pad(size.X, patch.X), Pad(size.Y, patch.Y), Pad(size.Z, patch.Z));
    }

    private static int Pad(int size, int patch)
    {
        const int Margin = 3; // the reference's fixed extra margin on each side
        return Math.Max((int)Math.Floor((patch - size) / 2.0) + Margin, 0);
    }
}
