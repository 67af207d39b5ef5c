using System.Text.RegularExpressions;
using Pmcm.Cli.Tests.Browser;

namespace Pmcm.Cli.Tests.Reports;

/// <summary>`pmcm experiment` writes index.html beside results.md: the table, the chart, the table on the largest
/// connected components and one row per run.</summary>
[Collection("Console")]
public sealed class ExperimentPageTests : IDisposable
{
    private const string Grid = "--methods supervised --labeled 2,all --seeds 5";
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PageHoldsTheTableTheChartAndEveryRunWithItsCurves()
    {
        var output = RunGrid();
        var html = File.ReadAllText(Path.Combine(output, "index.html"));

        var results = Table(html, "results");
        Assert.Equal(["2", "all"], Regex.Matches(results, "<tr data-method=\"supervised\" data-labeled=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Equal(["supervised-labeled2-seed5", "supervised-labeledall-seed5"], Regex.Matches(html, "<tr data-run=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        var images = Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["results.png", "supervised-labeled2-seed5/training_curves.png", "supervised-labeledall-seed5/training_curves.png"], images);
        Assert.All(images, image => Assert.True(File.Exists(Path.Combine(output, image)), image));

        // The page's Dice columns are results.csv's, in percent: as predicted, and on the largest connected component.
        var csv = File.ReadAllLines(Path.Combine(output, "results.csv"));
        var (header, row) = (csv[0].Split(',').ToList(), csv[1].Split(','));
        double Percent(string column) => 100 * double.Parse(row[header.IndexOf(column)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($">{Percent("dice_mean"):F2} ± ", results);
        var largest = Table(html, "largest-component");
        Assert.Equal(["2", "all"], Regex.Matches(largest, "<tr data-method=\"supervised\" data-labeled=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains($">{Percent("lcc_dice_mean"):F2} ± ", largest);
    }

    private static string Table(string html, string id)
    {
        var start = html.IndexOf($"<table class=\"sortable\" id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table {id}");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    [ChromiumFact]
    public void ChromiumLoadsEveryImageAndSortsTheRuns()
    {
        var output = RunGrid();
        using var browser = new HeadlessChromium();
        browser.Open(new Uri(Path.Combine(output, "index.html")).AbsoluteUri);
        Assert.True(browser.Evaluate("document.images.length === 3 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)").GetBoolean());
        Assert.Equal(2, browser.Evaluate("document.querySelectorAll('#results tbody tr').length").GetInt32());

        string Order() => browser.Evaluate("Array.from(document.querySelectorAll('#runs tbody tr')).map(r => r.dataset.run).join(',')").GetString()!;
        browser.Evaluate("document.querySelectorAll('#runs th')[0].click()");
        Assert.Equal("supervised-labeled2-seed5,supervised-labeledall-seed5", Order());
        browser.Evaluate("document.querySelectorAll('#runs th')[0].click()");
        Assert.Equal("supervised-labeledall-seed5,supervised-labeled2-seed5", Order());
    }

    private string RunGrid()
    {
        var output = _temp.File("experiment");
        var (exit, stdout, stderr) = CliHarness.Run(TinyGrid.Arguments(Grid, TinyGrid.WriteData(_temp.File("data")), output));
        Assert.True(exit == 0, stderr);
        Assert.Contains(Path.Combine(output, "index.html"), stdout);
        return output;
    }
}
