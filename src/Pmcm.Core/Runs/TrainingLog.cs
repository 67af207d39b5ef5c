using System.Globalization;
using System.Text;

namespace Pmcm.Core.Runs;

/// <summary>
/// A CSV of one row per event (iteration or validation): <c>iteration</c> then named values, the columns
/// fixed by the first row. Rows are appended and flushed as they come (rewriting a growing log atomically
/// at every iteration would cost quadratic time); on resume, rows past the checkpoint are dropped first so
/// the file never holds an iteration twice. Values are written round-trip exact.
/// </summary>
public sealed class TrainingLog
{
    private readonly string path;
    private string[]? columns;

    private TrainingLog(string path, string[]? columns)
    {
        this.path = path;
        this.columns = columns;
    }

    public string Path => path;

    /// <summary>A new log (any old file is replaced).</summary>
    public static TrainingLog Create(string path)
    {
        if (File.Exists(path)) File.Delete(path);
        return new TrainingLog(path, null);
    }

    /// <summary>Continues a log, keeping only rows with iteration &lt; <paramref name="nextIteration"/>.</summary>
    public static TrainingLog Resume(string path, long nextIteration)
    {
        if (!File.Exists(path)) return new TrainingLog(path, null);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return new TrainingLog(path, null);
        var kept = lines.Skip(1).Where(l => long.TryParse(l.Split(',')[0], CultureInfo.InvariantCulture, out var it) && it < nextIteration);
        Pmcm.Core.IO.AtomicFile.WriteAllText(path, string.Concat(new[] { lines[0] }.Concat(kept).Select(l => l + "\n")));
        return new TrainingLog(path, lines[0].Split(',').Skip(1).ToArray());
    }

    public void Append(long iteration, IReadOnlyDictionary<string, double> values)
    {
        var line = new StringBuilder();
        if (columns is null)
        {
            columns = values.Keys.ToArray();
            line.Append("iteration,").AppendJoin(',', columns).Append('\n');
        }
        line.Append(iteration.ToString(CultureInfo.InvariantCulture));
        foreach (var column in columns)
        {
            if (!values.TryGetValue(column, out var value))
                throw new PmcmException($"{path}: row for iteration {iteration} lacks column '{column}'");
            line.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
        line.Append('\n');
        File.AppendAllText(path, line.ToString());
    }

    /// <summary>Every row as (iteration, values by column), for plots and tests.</summary>
    public static IReadOnlyList<(long Iteration, Dictionary<string, double> Values)> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return [];
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split(',');
            var values = new Dictionary<string, double>();
            for (var i = 1; i < header.Length; i++) values[header[i]] = double.Parse(cells[i], CultureInfo.InvariantCulture);
            return (long.Parse(cells[0], CultureInfo.InvariantCulture), values);
        }).ToList();
    }
}
