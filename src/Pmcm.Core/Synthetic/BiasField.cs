using Pmcm.Core.Volumes;

namespace Pmcm.Core.Synthetic;

/// <summary>
/// A smooth multiplicative intensity bias, 1 + A·Σ wₖ·cos(x)·cos(y)·cos(z) of low frequencies, kept in
/// [1 − A, 1 + A]. Each term is a product of per-axis tables, so a voxel costs a few multiplications.
/// </summary>
internal sealed class BiasField
{
    private const int Terms = 3;
    private const double MaxCyclesPerVolume = 1.2;

    private readonly double[][] _x, _y, _z;

    private BiasField(double[][] x, double[][] y, double[][] z) => (_x, _y, _z) = (x, y, z);

    public static BiasField Draw(Shape3 shape, double amplitude, Random random)
    {
        var weights = Enumerable.Range(0, Terms).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var scale = amplitude / Math.Max(weights.Sum(Math.Abs), 1e-9);
        double[][] x = new double[Terms][], y = new double[Terms][], z = new double[Terms][];
        for (var k = 0; k < Terms; k++)
        {
            // The weight is folded into the X table so At() is a plain sum of products.
            x[k] = Table(shape.X, random, weights[k] * scale);
            y[k] = Table(shape.Y, random, 1);
            z[k] = Table(shape.Z, random, 1);
        }
        return new BiasField(x, y, z);
    }

    public double At(int x, int y, int z)
    {
        var sum = 1.0;
        for (var k = 0; k < Terms; k++) sum += _x[k][x] * _y[k][y] * _z[k][z];
        return sum;
    }

    private static double[] Table(int n, Random random, double weight)
    {
        var cycles = random.NextDouble() * MaxCyclesPerVolume;
        var phase = random.NextDouble() * 2 * Math.PI;
        var table = new double[n];
        for (var i = 0; i < n; i++) table[i] = weight * Math.Cos(2 * Math.PI * cycles * i / n + phase);
        return table;
    }
}
