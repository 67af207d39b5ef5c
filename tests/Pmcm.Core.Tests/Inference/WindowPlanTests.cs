using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Inference;

public class WindowPlanTests
{
    private static readonly Shape3 LaPatch = new(112, 112, 80);
    private static readonly Shape3 LaStride = new(18, 18, 4);

    [Fact]
    public void La_positions_match_the_reference_by_hand()
    {
        // X: ceil(48/18)+1 = 4 → 0, 18, 36, min(54, 48); Y: ceil(28/18)+1 = 3 → 0, 18, min(36, 28); Z: 8/4+1 = 3.
        var plan = WindowPlan.Create(new Shape3(160, 140, 88), LaPatch, LaStride);
        Assert.Equal([0, 18, 36, 48], plan.XStarts);
        Assert.Equal([0, 18, 28], plan.YStarts);
        Assert.Equal([0, 4, 8], plan.ZStarts);
        Assert.Equal(36, plan.Count);
        Assert.Equal(new Shape3Offset(0, 0, 0), plan.PadBefore);
        Assert.Equal(new Shape3Offset(0, 0, 0), plan.PaddedOrigin(0));
        Assert.Equal(new Shape3Offset(0, 0, 4), plan.PaddedOrigin(1));    // Z fastest
        Assert.Equal(new Shape3Offset(0, 18, 0), plan.PaddedOrigin(3));
        Assert.Equal(new Shape3Offset(48, 28, 8), plan.PaddedOrigin(35));
    }

    [Fact]
    public void Exact_fit_has_no_duplicate_last_window()
    {
        // (148 − 112) / 18 = 2 exactly → 3 windows, the last already flush.
        var plan = WindowPlan.Create(new Shape3(148, 112, 80), LaPatch, LaStride);
        Assert.Equal([0, 18, 36], plan.XStarts);
        Assert.Equal([0], plan.YStarts);
        Assert.Equal([0], plan.ZStarts);
    }

    [Fact]
    public void Short_axes_are_padded_half_before_rest_after()
    {
        // X: pad 11 → 5 before, 6 after; Y 120: starts 0, min(18, 8); Z: pad 10 → 5 before.
        var plan = WindowPlan.Create(new Shape3(101, 120, 70), LaPatch, LaStride);
        Assert.Equal(new Shape3(112, 120, 80), plan.Padded);
        Assert.Equal(new Shape3Offset(5, 0, 5), plan.PadBefore);
        Assert.Equal([0], plan.XStarts);
        Assert.Equal([0, 8], plan.YStarts);
        Assert.Equal([0], plan.ZStarts);
        Assert.Equal(new Shape3Offset(-5, 8, -5), plan.VolumeOrigin(1));
    }

    [Theory]
    [InlineData(13, 9, 7, 5, 4, 3, 3, 2, 2)]
    [InlineData(4, 20, 6, 5, 4, 3, 2, 3, 1)]
    [InlineData(5, 4, 3, 5, 4, 3, 7, 7, 7)]
    [InlineData(17, 11, 9, 6, 6, 6, 5, 4, 5)]
    public void Every_voxel_is_covered_and_windows_stay_inside_the_padded_volume(int x, int y, int z, int px, int py, int pz, int sx, int sy, int sz)
    {
        var volume = new Shape3(x, y, z);
        var patch = new Shape3(px, py, pz);
        var plan = WindowPlan.Create(volume, patch, new Shape3(sx, sy, sz));
        var covered = new int[plan.Padded.Count];
        for (var w = 0; w < plan.Count; w++)
        {
            var o = plan.PaddedOrigin(w);
            Assert.InRange(o.X, 0, plan.Padded.X - px);
            Assert.InRange(o.Y, 0, plan.Padded.Y - py);
            Assert.InRange(o.Z, 0, plan.Padded.Z - pz);
            for (var i = 0; i < px; i++)
            for (var j = 0; j < py; j++)
            for (var k = 0; k < pz; k++)
                covered[plan.Padded.Index(o.X + i, o.Y + j, o.Z + k)]++;
        }
        Assert.DoesNotContain(0, covered);
        Assert.Equal(plan.Padded.X - px, plan.XStarts[^1]); // last window flush with the end
    }

    [Fact]
    public void Zero_stride_is_refused()
    {
        Assert.Throws<PmcmException>(() => WindowPlan.Create(new Shape3(10, 10, 10), new Shape3(4, 4, 4), new Shape3(1, 0, 1)));
    }

    [Fact]
    public void A_stride_larger_than_the_patch_is_refused()
    {
        // Patch 16 with stride 18 leaves voxels 16 and 17 of every 18 without a window.
        var e = Assert.Throws<PmcmException>(() => WindowPlan.Create(new Shape3(63, 55, 39), new Shape3(16, 16, 16), new Shape3(18, 18, 4)));
        Assert.Contains("exceeds the patch", e.Message);
    }
}
