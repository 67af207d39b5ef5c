using Pmcm.Core.Volumes;

namespace Pmcm.Core.Morphology;

/// <summary>
/// Connected components of a binary mask, found by an iterative flood fill (explicit queue, no recursion,
/// so huge components cannot overflow the stack).
/// </summary>
public static class ConnectedComponents
{
    /// <summary>
    /// The largest component of the mask. Ties go to the component met first in C order, as the reference's
    /// <c>getLargestCC</c> (skimage <c>label</c> + argmax) does; its default connectivity in 3-D is
    /// <see cref="Connectivity.Full26"/>. An empty mask gives an empty mask.
    /// </summary>
    public static bool[] Largest(bool[] mask, Shape3 shape, Connectivity connectivity = Connectivity.Full26)
    {
        var labels = Label(mask, shape, connectivity, out var sizes);
        var result = new bool[mask.Length];
        if (sizes.Count == 0) return result;
        var best = 0;
        for (var c = 1; c < sizes.Count; c++)
            if (sizes[c] > sizes[best]) best = c;
        var wanted = best + 1;
        for (var i = 0; i < labels.Length; i++) result[i] = labels[i] == wanted;
        return result;
    }

    /// <summary>
    /// Labels each component 1, 2, … in the C order of its first voxel (0 = background);
    /// <paramref name="sizes"/>[k] is the voxel count of label k + 1.
    /// </summary>
    public static int[] Label(bool[] mask, Shape3 shape, Connectivity connectivity, out List<long> sizes)
    {
        if (mask.LongLength != shape.Count)
            throw new PmcmException($"connected components: mask has {mask.LongLength} voxels but shape {shape} needs {shape.Count}");
        var offsets = Offsets(connectivity);
        var labels = new int[mask.Length];
        sizes = [];
        var queue = new int[mask.Length];
        for (var seed = 0; seed < mask.Length; seed++)
        {
            if (!mask[seed] || labels[seed] != 0) continue;
            var label = sizes.Count + 1;
            labels[seed] = label;
            int head = 0, tail = 0;
            queue[tail++] = seed;
            while (head < tail)
            {
                var i = queue[head++];
                var z = i % shape.Z;
                var y = i / shape.Z % shape.Y;
                var x = i / (shape.Z * shape.Y);
                foreach (var (dx, dy, dz) in offsets)
                {
                    int nx = x + dx, ny = y + dy, nz = z + dz;
                    if ((uint)nx >= (uint)shape.X || (uint)ny >= (uint)shape.Y || (uint)nz >= (uint)shape.Z) continue;
                    var j = shape.Index(nx, ny, nz);
                    if (!mask[j] || labels[j] != 0) continue;
                    labels[j] = label;
                    queue[tail++] = j;
                }
            }
            sizes.Add(tail);
        }
        return labels;
    }

    private static (int, int, int)[] Offsets(Connectivity connectivity)
    {
        var offsets = new List<(int, int, int)>();
        for (var dx = -1; dx <= 1; dx++)
        for (var dy = -1; dy <= 1; dy++)
        for (var dz = -1; dz <= 1; dz++)
        {
            var steps = Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz);
            if (steps == 0 || (connectivity == Connectivity.Face6 && steps > 1)) continue;
            offsets.Add((dx, dy, dz));
        }
        return [.. offsets];
    }
}
