using System.Globalization;
using Pmcm.Core.Metrics;
using Spectre.Console;

namespace Pmcm.Cli.Tests;

public class MetricsReportTests
{
    private static readonly (string, SegmentationScores)[] Cases =
    [
        ("a", new SegmentationScores(0.8, 0.6, 2.5, 1.25, false, false)),
        ("b,2", new SegmentationScores(0.6, 0.4, 3.5, 0.75, false, false)),
    ];

    [Fact]
    public void CsvAndTableUseTheInvariantCultureWhateverTheMachineCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var report = new MetricsReport(Cases);
            Assert.Equal("case,dice,jaccard,hd95,asd,empty_prediction,empty_reference\n" +
                         "a,0.8,0.6,2.5,1.25,false,false\n" +
                         "\"b,2\",0.6,0.4,3.5,0.75,false,false\n", report.Csv());
            var text = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No });
            console.Profile.Width = 200;
            console.Write(report.Table());
            // Means 0.7 and 3.0; population std of (0.8, 0.6) is 0.1 and of (2.5, 3.5) is 0.5.
            Assert.Contains("0.7000 ± 0.1000", text.ToString());
            Assert.Contains("3.0000 ± 0.5000", text.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void JsonHoldsEveryCaseThenMeanAndStd()
    {
        var json = new MetricsReport(Cases).Json();
        var cases = (List<object>)json["cases"];
        Assert.Equal("b,2", ((Dictionary<string, object>)cases[1])["case"]);
        Assert.Equal(0.7, ((Dictionary<string, double>)json["mean"])["dice"], 12);
        Assert.Equal(0.5, ((Dictionary<string, double>)json["std"])["hd95"], 12);
        Assert.Equal(0, json["empty_predictions"]);
    }
}
