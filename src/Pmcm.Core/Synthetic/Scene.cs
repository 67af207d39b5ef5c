namespace Pmcm.Core.Synthetic;

/// <summary>
/// The structures of one synthetic case as approximate signed distances (voxels, positive inside):
/// the labeled atrium with its veins, the unlabeled aorta-like tube and the unlabeled spine-like blob.
/// </summary>
internal sealed class Scene
{
    private const int Bumps = 3;
    private const double BumpFrequencyMax = 3;
    private const double AttachDepth = 0.6;    // veins start this far out along the atrium's radius, so they attach
    private const double GapMin = 3, GapMax = 7; // voxels between the atrium and the look-alikes
    private const double AortaWander = 4;      // amplitude (voxels) of the aorta's sideways meander along Z

    private readonly Ellipsoid _atrium;
    private readonly Capsule[] _veins;
    private readonly double[] _aortaX, _aortaY;
    private readonly double _aortaRadius;
    private readonly Ellipsoid _spine;

    private Scene(Ellipsoid atrium, Capsule[] veins, double[] aortaX, double[] aortaY, double aortaRadius, Ellipsoid spine) =>
        (_atrium, _veins, _aortaX, _aortaY, _aortaRadius, _spine) = (atrium, veins, aortaX, aortaY, aortaRadius, spine);

    public static Scene Draw(SyntheticOptions o, Random random)
    {
        var size = new[] { (double)o.Size.X, o.Size.Y, o.Size.Z };
        double Uniform(double min, double max) => min + (max - min) * random.NextDouble();

        var center = size.Select(s => s / 2 + Uniform(-0.06, 0.06) * s).ToArray();
        var radii = size.Select(s => Uniform(o.AtriumRadiusMin, o.AtriumRadiusMax) * s).ToArray();
        var rotation = Rotation(Uniform(0, 2 * Math.PI), Uniform(-0.3, 0.3), Uniform(-0.3, 0.3));
        var bumps = Enumerable.Range(0, Bumps).Select(_ =>
            new Bump(RandomDirection(random), Uniform(1, BumpFrequencyMax), Uniform(0, 2 * Math.PI), o.AtriumBumpiness / Bumps * Uniform(0.5, 1.5)))
            .ToArray();
        var atrium = new Ellipsoid(center, rotation, radii, bumps);

        var veins = new Capsule[random.Next(o.VeinsMin, o.VeinsMax + 1)];
        for (var v = 0; v < veins.Length; v++)
        {
            var direction = RandomDirection(random);
            var extent = atrium.Extent(direction);
            var start = Along(center, direction, AttachDepth * extent);
            var end = Along(start, direction, (1 - AttachDepth) * extent + Uniform(o.VeinLengthMin, o.VeinLengthMax));
            veins[v] = new Capsule(start, end, Uniform(o.VeinRadiusMin, o.VeinRadiusMax));
        }

        // The look-alikes sit beside the atrium in the X–Y plane, on roughly opposite sides of it.
        var reach = radii.Max() * (1 + o.AtriumBumpiness);
        var aortaRadius = Uniform(o.AortaRadiusMin, o.AortaRadiusMax);
        var aortaAngle = Uniform(0, 2 * Math.PI);
        var aortaDistance = reach + aortaRadius + Uniform(GapMin, GapMax);
        var aortaCenterX = Clamp(center[0] + aortaDistance * Math.Cos(aortaAngle), aortaRadius + AortaWander, size[0]);
        var aortaCenterY = Clamp(center[1] + aortaDistance * Math.Sin(aortaAngle), aortaRadius + AortaWander, size[1]);
        var (cycles, phase) = (Uniform(0.3, 1), Uniform(0, 2 * Math.PI));
        var aortaX = new double[o.Size.Z];
        var aortaY = new double[o.Size.Z];
        for (var z = 0; z < o.Size.Z; z++)
        {
            var t = 2 * Math.PI * cycles * z / o.Size.Z + phase;
            aortaX[z] = aortaCenterX + AortaWander * Math.Sin(t);
            aortaY[z] = aortaCenterY + AortaWander * Math.Cos(t) * 0.5;
        }

        var spineRadius = Uniform(o.SpineRadiusMin, o.SpineRadiusMax);
        var spineRadii = new[] { spineRadius, spineRadius * 0.8, spineRadius * 1.6 };
        var spineAngle = aortaAngle + Math.PI + Uniform(-0.6, 0.6);
        var spineDistance = reach + spineRadius + Uniform(GapMin, GapMax);
        var spineCenter = new[]
        {
            Clamp(center[0] + spineDistance * Math.Cos(spineAngle), spineRadius + 1, size[0]),
            Clamp(center[1] + spineDistance * Math.Sin(spineAngle), spineRadius + 1, size[1]),
            size[2] / 2 + Uniform(-0.1, 0.1) * size[2],
        };
        var spine = new Ellipsoid(spineCenter, Rotation(Uniform(0, Math.PI), 0, 0), spineRadii, []);

        return new Scene(atrium, veins, aortaX, aortaY, aortaRadius, spine);
    }

    /// <summary>Signed distances at a voxel to the labeled structure (atrium ∪ veins), the aorta and the spine.</summary>
    public (double Labeled, double Aorta, double Spine) SignedDistances(int x, int y, int z)
    {
        var labeled = _atrium.SignedDistance(x, y, z);
        foreach (var vein in _veins) labeled = Math.Max(labeled, vein.SignedDistance(x, y, z));
        var (dx, dy) = (x - _aortaX[z], y - _aortaY[z]);
        var aorta = _aortaRadius - Math.Sqrt(dx * dx + dy * dy);
        return (labeled, aorta, _spine.SignedDistance(x, y, z));
    }

    private static double Clamp(double value, double margin, double size) => Math.Clamp(value, margin, size - 1 - margin);

    private static double[] Along(double[] p, double[] direction, double length) =>
        [p[0] + direction[0] * length, p[1] + direction[1] * length, p[2] + direction[2] * length];

    private static double[] RandomDirection(Random random)
    {
        while (true)
        {
            var v = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
            var norm = Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (norm is > 0.1 and <= 1) return [v[0] / norm, v[1] / norm, v[2] / norm];
        }
    }

    /// <summary>Row-major rotation: about Z by <paramref name="yaw"/>, then small tilts about Y and X.</summary>
    private static double[] Rotation(double yaw, double pitch, double roll)
    {
        var (cz, sz) = (Math.Cos(yaw), Math.Sin(yaw));
        var (cy, sy) = (Math.Cos(pitch), Math.Sin(pitch));
        var (cx, sx) = (Math.Cos(roll), Math.Sin(roll));
        return
        [
            cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
            sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
            -sy, cy * sx, cy * cx,
        ];
    }

    /// <summary>A smooth radial bump: amplitude·sin(frequency·(axis · unit direction) + phase).</summary>
    private readonly record struct Bump(double[] Axis, double Frequency, double Phase, double Amplitude);

    /// <summary>An ellipsoid (optionally bumpy) in a rotated frame; the rotation's columns are its local axes in world coordinates.</summary>
    private sealed class Ellipsoid(double[] center, double[] rotation, double[] radii, Bump[] bumps)
    {
        public double SignedDistance(int x, int y, int z)
        {
            var (px, py, pz) = (x - center[0], y - center[1], z - center[2]);
            var u0 = (rotation[0] * px + rotation[3] * py + rotation[6] * pz) / radii[0];
            var u1 = (rotation[1] * px + rotation[4] * py + rotation[7] * pz) / radii[1];
            var u2 = (rotation[2] * px + rotation[5] * py + rotation[8] * pz) / radii[2];
            var rho = Math.Sqrt(u0 * u0 + u1 * u1 + u2 * u2);
            if (rho < 1e-9) return radii.Min();
            var surface = 1.0;
            foreach (var b in bumps)
                surface += b.Amplitude * Math.Sin(b.Frequency * (b.Axis[0] * u0 + b.Axis[1] * u1 + b.Axis[2] * u2) / rho + b.Phase);
            // (surface − ρ) is in units of this direction's radius, |p − c| / ρ.
            var distance = Math.Sqrt(px * px + py * py + pz * pz);
            return (surface - rho) * distance / rho;
        }

        /// <summary>Distance from the center to the (bump-free) surface along a world direction.</summary>
        public double Extent(double[] d)
        {
            var u0 = (rotation[0] * d[0] + rotation[3] * d[1] + rotation[6] * d[2]) / radii[0];
            var u1 = (rotation[1] * d[0] + rotation[4] * d[1] + rotation[7] * d[2]) / radii[1];
            var u2 = (rotation[2] * d[0] + rotation[5] * d[1] + rotation[8] * d[2]) / radii[2];
            return 1 / Math.Sqrt(u0 * u0 + u1 * u1 + u2 * u2);
        }
    }

    /// <summary>A tube with rounded ends: all points within a radius of the segment from start to end.</summary>
    private sealed class Capsule(double[] start, double[] end, double radius)
    {
        private readonly double[] _axis = [end[0] - start[0], end[1] - start[1], end[2] - start[2]];
        private readonly double _lengthSquared =
            (end[0] - start[0]) * (end[0] - start[0]) + (end[1] - start[1]) * (end[1] - start[1]) + (end[2] - start[2]) * (end[2] - start[2]);

        public double SignedDistance(int x, int y, int z)
        {
            var (px, py, pz) = (x - start[0], y - start[1], z - start[2]);
            var t = Math.Clamp((px * _axis[0] + py * _axis[1] + pz * _axis[2]) / _lengthSquared, 0, 1);
            var (dx, dy, dz) = (px - t * _axis[0], py - t * _axis[1], pz - t * _axis[2]);
            return radius - Math.Sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
}
