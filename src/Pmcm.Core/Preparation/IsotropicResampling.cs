using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// Resamples a volume to a new spacing on the grid SimpleITK's <c>ResampleImageFilter</c> uses in the
/// Pancreas-CT preparation: the new size is ⌊size · spacing / target⌋ per axis (truncated), the spacing is then
/// refined to size · spacing / new size so the field of view is kept, and origin and direction stay. Output
/// voxel i therefore samples the input at continuous index i · size / new size. Positions more than half a
/// voxel outside the input become 0, as ITK's default pixel value. Because the grid is axis-aligned the
/// tensor-product interpolation is done one axis at a time, which gives the same values as the 3-D sum.
/// </summary>
public static class IsotropicResampling
{
    /// <summary>The output shape and spacing for resampling <paramref name="volume"/> to <paramref name="spacing"/> mm.</summary>
    public static (Shape3 Shape, double[] Spacing) Grid(Volume volume, double spacing)
    {
        if (!(spacing > 0)) throw new PmcmException($"target spacing {spacing} mm must be positive");
        int[] size = [volume.Shape.X, volume.Shape.Y, volume.Shape.Z];
        var newSize = new int[3];
        var refined = new double[3];
        for (var a = 0; a < 3; a++)
        {
            newSize[a] = (int)(size[a] * volume.Geometry.Spacing[a] / spacing);
            if (newSize[a] < 1) throw new PmcmException($"resampling to {spacing} mm leaves no voxel along axis {"XYZ"[a]} ({size[a]} voxels of {volume.Geometry.Spacing[a]} mm)");
            refined[a] = size[a] * volume.Geometry.Spacing[a] / newSize[a];
        }
        return (new Shape3(newSize[0], newSize[1], newSize[2]), refined);
    }

    public static Volume Resample(Volume volume, double spacing, ResamplingInterpolation interpolation)
    {
        var (shape, refined) = Grid(volume, spacing);
        var data = new double[volume.Data.Length];
        for (var i = 0; i < data.Length; i++) data[i] = volume.Data[i];
        var current = volume.Shape;
        int[] target = [shape.X, shape.Y, shape.Z];
        for (var axis = 0; axis < 3; axis++)
        {
            if (interpolation == ResamplingInterpolation.CubicBSpline) Lines(data, current, axis, CubicBSpline.ToCoefficients);
            (data, current) = AlongAxis(data, current, axis, target[axis], interpolation);
        }
        var output = new float[data.Length];
        for (var i = 0; i < output.Length; i++) output[i] = (float)data[i];
        return new Volume(shape, output, volume.Geometry with { Spacing = refined }, volume.Type);
    }

    private delegate void LineAction(Span<double> line);

    // Runs an in-place operation on every line of the volume along one axis.
    private static void Lines(double[] data, Shape3 s, int axis, LineAction action)
    {
        var (n, stride, outer, inner, outerStride) = Layout(s, axis);
        Parallel.For(0, outer, () => new double[n], (o, _, line) =>
        {
            for (var i = 0; i < inner; i++)
            {
                var start = o * outerStride + i;
                for (var k = 0; k < n; k++) line[k] = data[start + k * stride];
                action(line);
                for (var k = 0; k < n; k++) data[start + k * stride] = line[k];
            }
            return line;
        }, _ => { });
    }

    private static (double[] Data, Shape3 Shape) AlongAxis(double[] data, Shape3 s, int axis, int newLength, ResamplingInterpolation interpolation)
    {
        var shape = axis switch { 0 => s with { X = newLength }, 1 => s with { Y = newLength }, _ => s with { Z = newLength } };
        var (n, stride, outer, inner, outerStride) = Layout(s, axis);
        var (_, newStride, _, _, newOuterStride) = Layout(shape, axis);
        var output = new double[shape.Count];
        var scale = (double)n / newLength;
        Parallel.For(0, outer, () => new double[n], (o, _, line) =>
        {
            for (var i = 0; i < inner; i++)
            {
                var start = o * outerStride + i;
                for (var k = 0; k < n; k++) line[k] = data[start + k * stride];
                var to = o * newOuterStride + i;
                for (var k = 0; k < newLength; k++)
                {
                    var t = k * scale;
                    output[to + k * newStride] = t >= n - 0.5 ? 0
                        : interpolation == ResamplingInterpolation.Nearest ? line[Math.Min((int)Math.Floor(t + 0.5), n - 1)]
                        : CubicBSpline.Evaluate(line, t);
                }
            }
            return line;
        }, _ => { });
        return (output, shape);
    }

    // Lines along an axis of a C-order (X slowest) volume: length, step between elements, and how to enumerate their starts.
    private static (int Length, int Stride, int Outer, int Inner, int OuterStride) Layout(Shape3 s, int axis) => axis switch
    {
        0 => (s.X, s.Y * s.Z, s.Y, s.Z, s.Z),
        1 => (s.Y, s.Z, s.X, s.Z, s.Y * s.Z),
        _ => (s.Z, 1, s.X * s.Y, 1, s.Z),
    };
}
