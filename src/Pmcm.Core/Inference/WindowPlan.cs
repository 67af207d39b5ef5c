using Pmcm.Core.Volumes;

namespace Pmcm.Core.Inference;

/// <summary>
/// The window grid of the reference's <c>test_single_case</c>. An axis shorter than the patch is
/// zero-padded to the patch size, <c>pad // 2</c> before and the rest after. Along an axis of padded
/// length L there are <c>ceil((L − patch) / stride) + 1</c> windows starting at
/// <c>min(stride · i, L − patch)</c>, so the last one is flush with the end. Windows are ordered with X
/// slowest and Z fastest, as the reference's nested loops.
/// </summary>
public sealed class WindowPlan
{
    private WindowPlan(Shape3 volume, Shape3 patch, Shape3Offset padBefore, int[] xs, int[] ys, int[] zs)
    {
        Volume = volume;
        Patch = patch;
        PadBefore = padBefore;
        XStarts = xs;
        YStarts = ys;
        ZStarts = zs;
    }

    public static WindowPlan Create(Shape3 volume, Shape3 patch, Shape3 stride)
    {
        if (stride.X <= 0 || stride.Y <= 0 || stride.Z <= 0) throw new PmcmException($"window stride {stride} must be positive");
        // A stride beyond the patch leaves gaps wherever an axis needs more than one window.
        if ((stride.X > patch.X && volume.X > patch.X) || (stride.Y > patch.Y && volume.Y > patch.Y) || (stride.Z > patch.Z && volume.Z > patch.Z))
            throw new PmcmException($"window stride {stride} exceeds the patch {patch}: voxels between windows would get no prediction");
        var pad = new Shape3Offset(PadBeforeOf(volume.X, patch.X), PadBeforeOf(volume.Y, patch.Y), PadBeforeOf(volume.Z, patch.Z));
        return new WindowPlan(volume, patch, pad,
            Starts(Math.Max(volume.X, patch.X), patch.X, stride.X),
            Starts(Math.Max(volume.Y, patch.Y), patch.Y, stride.Y),
            Starts(Math.Max(volume.Z, patch.Z), patch.Z, stride.Z));
    }

    public Shape3 Volume { get; }
    public Shape3 Patch { get; }

    /// <summary>Zeros added before each axis (the remainder of the padding goes after).</summary>
    public Shape3Offset PadBefore { get; }

    public Shape3 Padded => new(Math.Max(Volume.X, Patch.X), Math.Max(Volume.Y, Patch.Y), Math.Max(Volume.Z, Patch.Z));

    /// <summary>Window starts along each axis, in padded coordinates.</summary>
    public IReadOnlyList<int> XStarts { get; }
    public IReadOnlyList<int> YStarts { get; }
    public IReadOnlyList<int> ZStarts { get; }

    public int Count => XStarts.Count * YStarts.Count * ZStarts.Count;

    /// <summary>Corner of window <paramref name="i"/> in padded coordinates.</summary>
    public Shape3Offset PaddedOrigin(int i)
    {
        var z = i % ZStarts.Count;
        var y = i / ZStarts.Count % YStarts.Count;
        var x = i / (ZStarts.Count * YStarts.Count);
        return new Shape3Offset(XStarts[x], YStarts[y], ZStarts[z]);
    }

    /// <summary>Corner of window <paramref name="i"/> in the unpadded volume (negative inside the padding).</summary>
    public Shape3Offset VolumeOrigin(int i)
    {
        var o = PaddedOrigin(i);
        return new Shape3Offset(o.X - PadBefore.X, o.Y - PadBefore.Y, o.Z - PadBefore.Z);
    }

    private static int PadBeforeOf(int size, int patch) => size < patch ? (patch - size) / 2 : 0;

    private static int[] Starts(int length, int patch, int stride)
    {
        var steps = (length - patch + stride - 1) / stride + 1;
        var starts = new int[steps];
        for (var i = 0; i < steps; i++) starts[i] = Math.Min(stride * i, length - patch);
        return starts;
    }
}
