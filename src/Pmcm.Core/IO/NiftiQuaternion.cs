namespace Pmcm.Core.IO;

/// <summary>
/// NIfTI's qform: a rotation stored as the quaternion (b, c, d) with a = √(1−b²−c²−d²), plus qfac = ±1 that
/// flips the third axis. Conversions follow nifti1_io's quatern_to_mat44 / mat44_to_quatern.
/// </summary>
public readonly record struct NiftiQuaternion(double B, double C, double D, double Qfac)
{
    /// <summary>The 3×3 rotation (row-major) with qfac applied to its third column.</summary>
    public double[] Rotation()
    {
        var (b, c, d) = (B, C, D);
        var a = 1 - (b * b + c * c + d * d);
        if (a < 1e-7)
        {
            // Not a unit quaternion: nifti1_io renormalises (b, c, d) and takes a 180° rotation.
            var norm = Math.Sqrt(b * b + c * c + d * d);
            (a, b, c, d) = (0, b / norm, c / norm, d / norm);
        }
        else a = Math.Sqrt(a);
        var q = Qfac < 0 ? -1.0 : 1.0;
        return
        [
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c) * q,
            2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b) * q,
            2 * (b * d - a * c), 2 * (c * d + a * b), (a * a + d * d - c * c - b * b) * q,
        ];
    }

    /// <summary>The quaternion of a direction matrix (row-major, unit columns); a reflection becomes qfac = −1.</summary>
    public static NiftiQuaternion FromDirection(double[] m)
    {
        var r = (double[])m.Clone();
        var det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
        var qfac = 1.0;
        if (det < 0)
        {
            qfac = -1;
            r[2] = -r[2];
            r[5] = -r[5];
            r[8] = -r[8];
        }
        double a, b, c, d;
        var trace = r[0] + r[4] + r[8] + 1;
        if (trace > 0.5)
        {
            a = 0.5 * Math.Sqrt(trace);
            b = 0.25 * (r[7] - r[5]) / a;
            c = 0.25 * (r[2] - r[6]) / a;
            d = 0.25 * (r[3] - r[1]) / a;
        }
        else
        {
            var xd = 1 + r[0] - (r[4] + r[8]);
            var yd = 1 + r[4] - (r[0] + r[8]);
            if (xd > 1)
            {
                b = 0.5 * Math.Sqrt(xd);
                c = 0.25 * (r[1] + r[3]) / b;
                d = 0.25 * (r[2] + r[6]) / b;
                a = 0.25 * (r[7] - r[5]) / b;
            }
            else if (yd > 1)
            {
                c = 0.5 * Math.Sqrt(yd);
                b = 0.25 * (r[1] + r[3]) / c;
                d = 0.25 * (r[5] + r[7]) / c;
                a = 0.25 * (r[2] - r[6]) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(1 + r[8] - (r[0] + r[4]));
                b = 0.25 * (r[2] + r[6]) / d;
                c = 0.25 * (r[5] + r[7]) / d;
                a = 0.25 * (r[3] - r[1]) / d;
            }
            if (a < 0) (b, c, d) = (-b, -c, -d);
        }
        return new NiftiQuaternion(b, c, d, qfac);
    }
}
