using Pmcm.Core.IO;

namespace Pmcm.Core.Tests.IO;

public class NiftiQuaternionTests
{
    [Theory]
    [InlineData(0, 0, 1, 0.0)]
    [InlineData(1, 2, 3, 0.7)]
    [InlineData(-1, 0.5, 0.2, 2.5)]
    [InlineData(1, 0, 0, Math.PI)]
    [InlineData(0, 1, 1, Math.PI)]
    public void Rotation_and_reflection_round_trip(double ax, double ay, double az, double angle)
    {
        foreach (var reflect in new[] { false, true })
        {
            var m = Rodrigues(ax, ay, az, angle);
            if (reflect) for (var r = 0; r < 3; r++) m[r * 3 + 2] = -m[r * 3 + 2];
            var q = NiftiQuaternion.FromDirection(m);
            Assert.Equal(reflect ? -1 : 1, q.Qfac);
            var back = q.Rotation();
            for (var i = 0; i < 9; i++) Assert.Equal(m[i], back[i], 1e-12);
        }
    }

    /// <summary>Rotation by <paramref name="angle"/> about the axis (ax, ay, az), row-major.</summary>
    private static double[] Rodrigues(double ax, double ay, double az, double angle)
    {
        var n = Math.Sqrt(ax * ax + ay * ay + az * az);
        var (x, y, z) = (ax / n, ay / n, az / n);
        var (c, s) = (Math.Cos(angle), Math.Sin(angle));
        var t = 1 - c;
        return
        [
            t * x * x + c, t * x * y - s * z, t * x * z + s * y,
            t * x * y + s * z, t * y * y + c, t * y * z - s * x,
            t * x * z - s * y, t * y * z + s * x, t * z * z + c,
        ];
    }
}
