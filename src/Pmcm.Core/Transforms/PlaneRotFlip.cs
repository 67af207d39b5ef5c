using Pmcm.Core.Volumes;

namespace Pmcm.Core.Transforms;

/// <summary>
/// numpy's <c>np.flip(np.rot90(a, k), axis)</c> in the X–Y plane as a coordinate map: which source
/// (x, y) line along Z lands at output (i, j). Z is untouched, so whole Z lines move together.
/// <see cref="FlipAxis"/> is 0 (X), 1 (Y) or <see cref="NoFlip"/>.
/// </summary>
public readonly record struct PlaneRotFlip(int K, int FlipAxis, Shape3 Source)
{
    public const int NoFlip = -1;

    /// <summary>The map that leaves a volume as it is.</summary>
    public static PlaneRotFlip Identity(Shape3 source) => new(0, NoFlip, source);

    /// <summary>The output shape: X and Y swap when K is odd.</summary>
    public Shape3 Output => K % 2 == 0 ? Source : new Shape3(Source.Y, Source.X, Source.Z);

    /// <summary>
    /// Undo the flip on the output coordinates, then undo rot90
    /// (k=1: out[i,j] = in[j, Y−1−i]; k=2: in[X−1−i, Y−1−j]; k=3: in[X−1−j, i]).
    /// </summary>
    public (int X, int Y) SourceOf(int i, int j)
    {
        var output = Output;
        var (ri, rj) = FlipAxis switch
        {
            0 => (output.X - 1 - i, j),
            1 => (i, output.Y - 1 - j),
            _ => (i, j),
        };
        return K switch
        {
            0 => (ri, rj),
            1 => (rj, Source.Y - 1 - ri),
            2 => (Source.X - 1 - ri, Source.Y - 1 - rj),
            _ => (Source.X - 1 - rj, ri),
        };
    }
}
