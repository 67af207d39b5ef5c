using Pmcm.Core.Morphology;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Morphology;

public class ConnectedComponentsTests
{
    // A 2×2×2 cube and a 3×3×3 cube that touch only at one corner: (1,1,1) and (2,2,2).
    private static readonly Shape3 Shape = new(6, 6, 6);

    private static bool[] CornerTouchingCubes()
    {
        var mask = new bool[Shape.Count];
        for (var x = 0; x < 6; x++)
        for (var y = 0; y < 6; y++)
        for (var z = 0; z < 6; z++)
            mask[Shape.Index(x, y, z)] = (x < 2 && y < 2 && z < 2) || (x is >= 2 and < 5 && y is >= 2 and < 5 && z is >= 2 and < 5);
        return mask;
    }

    [Fact]
    public void Face_connectivity_separates_corner_touching_cubes()
    {
        var labels = ConnectedComponents.Label(CornerTouchingCubes(), Shape, Connectivity.Face6, out var sizes);
        Assert.Equal([8L, 27L], sizes);
        Assert.Equal(1, labels[Shape.Index(0, 0, 0)]);
        Assert.Equal(2, labels[Shape.Index(4, 4, 4)]);
        var largest = ConnectedComponents.Largest(CornerTouchingCubes(), Shape, Connectivity.Face6);
        Assert.Equal(27, largest.Count(b => b));
        Assert.False(largest[Shape.Index(0, 0, 0)]);
    }

    [Fact]
    public void Full_connectivity_joins_them()
    {
        ConnectedComponents.Label(CornerTouchingCubes(), Shape, Connectivity.Full26, out var sizes);
        Assert.Equal([35L], sizes);
        Assert.Equal(35, ConnectedComponents.Largest(CornerTouchingCubes(), Shape).Count(b => b));
    }

    [Fact]
    public void Ties_go_to_the_component_met_first_and_empty_stays_empty()
    {
        var shape = new Shape3(1, 1, 5);
        var largest = ConnectedComponents.Largest([true, false, true, false, false], shape);
        Assert.Equal([true, false, false, false, false], largest);
        Assert.DoesNotContain(true, ConnectedComponents.Largest(new bool[5], shape));
    }

    [Fact]
    public void A_volume_filling_component_is_found_without_recursion()
    {
        // 64 000 voxels in one component: a recursive fill would overflow the stack.
        var shape = new Shape3(40, 40, 40);
        var mask = Enumerable.Repeat(true, (int)shape.Count).ToArray();
        Assert.Equal(shape.Count, ConnectedComponents.Largest(mask, shape, Connectivity.Face6).Count(b => b));
    }
}
