using System.Globalization;
using Pmcm.Core.Metrics;

namespace Pmcm.Cli.Reports;

/// <summary>Bootstrap intervals as the reports print them: "+1.25 [-0.40, +2.90]" for a difference, "0.96 [0.80, 1.10]" for a ratio.</summary>
public static class IntervalText
{
    /// <summary>A signed difference, scaled by <paramref name="factor"/> (100 for Dice in points).</summary>
    public static string Difference(BootstrapInterval i, double factor, int digits) =>
        $"{Signed(factor * i.Estimate, digits)} [{Signed(factor * i.Low, digits)}, {Signed(factor * i.High, digits)}]";

    public static string Ratio(BootstrapInterval? ratio) => ratio is { } q ? $"{F(q.Estimate, 2)} [{F(q.Low, 2)}, {F(q.High, 2)}]" : "n/a";

    // Rounded first, so a value that prints as zero prints without a sign (not "+0.00" or "-0.00").
    private static string Signed(double v, int digits) => Math.Round(v, digits) is var r && r != 0 ? (r > 0 ? "+" : "") + F(r, digits) : F(0, digits);

    private static string F(double v, int digits) => double.IsNaN(v) ? "n/a" : v.ToString("F" + digits, CultureInfo.InvariantCulture);
}
