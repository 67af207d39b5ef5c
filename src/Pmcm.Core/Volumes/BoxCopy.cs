namespace Pmcm.Core.Volumes;

/// <summary>
/// Copies an axis-aligned box out of a C-order volume into a smaller buffer, treating everything
/// outside the volume as zero. This is "zero-pad, then slice" without materialising the padded volume,
/// which both the training crop and the sliding-window inference need.
/// </summary>
public static class BoxCopy
{
    /// <summary>
    /// dst[i, j, k] = src[ox + i, oy + j, oz + k], or 0 where that lies outside <paramref name="srcShape"/>.
    /// The origin may be negative (the box starts in the padding).
    /// </summary>
    public static void Extract<T>(ReadOnlySpan<T> src, Shape3 srcShape, int ox, int oy, int oz, Span<T> dst, Shape3 dstShape)
        where T : unmanaged
    {
        if (src.Length != srcShape.Count || dst.Length != dstShape.Count)
            throw new ArgumentException($"buffers do not match shapes {srcShape} / {dstShape}");
        var z0 = Math.Max(0, -oz);
        var z1 = Math.Min(dstShape.Z, srcShape.Z - oz);
        for (var i = 0; i < dstShape.X; i++)
        {
            var sx = ox + i;
            for (var j = 0; j < dstShape.Y; j++)
            {
                var sy = oy + j;
                var line = dst.Slice(dstShape.Index(i, j, 0), dstShape.Z);
                if (sx < 0 || sx >= srcShape.X || sy < 0 || sy >= srcShape.Y || z1 <= z0)
                {
                    line.Clear();
                    continue;
                }
                line[..z0].Clear();
                src.Slice(srcShape.Index(sx, sy, oz + z0), z1 - z0).CopyTo(line[z0..z1]);
                line[z1..].Clear();
            }
        }
    }
}
