namespace Pmcm.Cli.Reports;

/// <summary>
/// Counts of finite values in <c>bins</c> equal bins over [low, high]; the last bin is closed, so a value equal
/// to <c>high</c> (a Dice of 1) is counted, and values outside the range fall into the nearest end bin.
/// </summary>
public static class Histogram
{
    public static int[] Counts(IEnumerable<double> values, int bins, double low, double high)
    {
        if (bins < 1 || !(high > low)) throw new ArgumentException($"histogram: {bins} bins over [{low}, {high}]");
        var counts = new int[bins];
        foreach (var v in values.Where(double.IsFinite))
            counts[Math.Clamp((int)Math.Floor((v - low) / (high - low) * bins), 0, bins - 1)]++;
        return counts;
    }
}
