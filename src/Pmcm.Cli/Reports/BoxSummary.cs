namespace Pmcm.Cli.Reports;

/// <summary>
/// The five numbers of a box plot: minimum, quartiles (numpy's default linear interpolation) and maximum of the
/// finite values, and how many values that was.
/// </summary>
public sealed record BoxSummary(double Min, double Q1, double Median, double Q3, double Max, int Count)
{
    public static BoxSummary? Of(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return null;
        return new BoxSummary(sorted[0], Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75), sorted[^1], sorted.Length);
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
