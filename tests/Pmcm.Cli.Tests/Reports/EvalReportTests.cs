using System.Text.RegularExpressions;
using Pmcm.Cli.Rendering;
using Pmcm.Cli.Tests.Browser;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
using SkiaSharp;
using static TorchSharp.torch;

namespace Pmcm.Cli.Tests.Reports;

/// <summary>
/// `pmcm eval --report` on three tiny labelled cases with a network that calls every voxel foreground, so each
/// case's Dice is 2|L| / (|L| + N) and the worst-first order is known: the smallest label scores lowest.
/// </summary>
[Collection("Console")]
public sealed class EvalReportTests : IDisposable
{
    private static readonly Shape3 Shape = new(20, 18, 17);
    private static readonly string[] Names = ["mid", "small", "large"];
    private static readonly int[] BoxWidths = [6, 3, 10];
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static double Dice(int c) => 2.0 * LabelVoxels(c) / (LabelVoxels(c) + Shape.Count);
    private static long LabelVoxels(int c) => BoxWidths[c] * 8L * 7;

    [Fact]
    public void PageListsEveryCaseWorstFirstWithItsSlicesAndTheDiceHistogram()
    {
        var report = WriteReport();
        var html = File.ReadAllText(Path.Combine(report, "index.html"));

        // Rows in Dice order, lowest first: small (width 3), mid (6), large (10).
        Assert.Equal(["small", "mid", "large"], Regex.Matches(html, "<tr data-case=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains($"data-value=\"{Dice(1):R}\"", html);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("<link", html);

        // Dice of 0.16–0.38 here: bins [0.1, 0.2), [0.2, 0.3), [0.3, 0.4).
        var counts = new int[10];
        for (var c = 0; c < 3; c++) counts[(int)(Dice(c) * 10)]++;
        Assert.Contains($"data-counts=\"{string.Join(',', counts)}\"", html);

        // One PNG per case: axial 20×18, coronal 20×17, sagittal 18×17 side by side, zoomed ×8 (160 px / longest side 20).
        var images = Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, images.Count);
        foreach (var image in images)
        {
            using var png = SKBitmap.Decode(Path.Combine(report, image));
            Assert.Equal((20 + 20 + 18) * 8 + 2 * OrthogonalSlices.Gap, png.Width);
            Assert.Equal(18 * 8, png.Height);
        }
        Assert.Empty(Directory.GetDirectories(_temp.Path, ".*partial*"));
    }

    [ChromiumFact]
    public void ChromiumShowsEveryRowLoadsEveryImageAndSortsByAnyColumn()
    {
        var report = WriteReport();
        using var browser = new HeadlessChromium();
        browser.Open(new Uri(Path.Combine(report, "index.html")).AbsoluteUri);

        string[] Order() => browser.Evaluate("Array.from(document.querySelectorAll('#cases tbody tr')).map(r => r.dataset.case).join(',')").GetString()!.Split(',');
        Assert.Equal(["small", "mid", "large"], Order());
        Assert.Equal(3, browser.Evaluate("document.querySelectorAll('#cases tbody img').length").GetInt32());
        Assert.True(browser.Evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)").GetBoolean());
        Assert.Equal((20 + 20 + 18) * 8 + 2 * OrthogonalSlices.Gap, browser.Evaluate("document.images[0].naturalWidth").GetInt32());

        // Dice is sorted ascending already: one click turns it around.
        browser.Evaluate("document.querySelectorAll('#cases th')[1].click()");
        Assert.Equal(["large", "mid", "small"], Order());
        Assert.Equal("descending", browser.Evaluate("document.querySelectorAll('#cases th')[1].getAttribute('aria-sort')").GetString());
        // Case names sort as text.
        browser.Evaluate("document.querySelectorAll('#cases th')[0].click()");
        Assert.Equal(["large", "mid", "small"], Order());
        browser.Evaluate("document.querySelectorAll('#cases th')[0].click()");
        Assert.Equal(["small", "mid", "large"], Order());
        // Jaccard = |L| / N grows with the label: ascending puts the smallest first.
        browser.Evaluate("document.querySelectorAll('#cases th')[2].click()");
        Assert.Equal(["small", "mid", "large"], Order());

        using var screenshot = SKBitmap.Decode(browser.Screenshot());
        Assert.True(screenshot.Width >= 800 && screenshot.Height >= 600, $"screenshot {screenshot.Width}×{screenshot.Height}");
    }

    [Fact]
    public void AFolderThatIsNotAReportIsRefusedAndLeftAlone()
    {
        var folder = Directory.CreateDirectory(_temp.File("taken")).FullName;
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var (exit, _, stderr) = CliHarness.Run(["eval", "--model", WriteCheckpoint(), "--data", WriteDataset(), "--report", folder, "--patch", "16,16,16", "--stride", "8,8,8"]);
        Assert.Equal(1, exit);
        Assert.Equal($"error: {folder}: folder exists and is not a Pmcm report; choose a new or empty folder", stderr.Trim());
        Assert.Equal(["notes.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void AnEarlierReportIsReplacedWhole()
    {
        var report = WriteReport();
        File.WriteAllText(Path.Combine(report, "cases", "stale.png"), "old");
        var again = WriteReport();
        Assert.Equal(report, again);
        Assert.False(File.Exists(Path.Combine(report, "cases", "stale.png")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(report, "cases")).Length);
    }

    private string WriteReport()
    {
        var report = _temp.File("report");
        var (exit, stdout, stderr) = CliHarness.Run(["eval", "--model", WriteCheckpoint(), "--data", WriteDataset(), "--report", report, "--save-predictions", _temp.File("pred"), "--patch", "16,16,16", "--stride", "8,8,8"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains($"report written to {Path.Combine(report, "index.html")}", stdout);
        return report;
    }

    private string WriteDataset()
    {
        var data = _temp.File("data");
        if (Directory.Exists(data)) return data;
        for (var c = 0; c < Names.Length; c++)
        {
            var label = new float[Shape.Count];
            for (var x = 4; x < 4 + BoxWidths[c]; x++)
            for (var y = 5; y < 13; y++)
            for (var z = 3; z < 10; z++)
                label[Shape.Index(x, y, z)] = 1;
            var random = new Random(c);
            var image = new float[Shape.Count];
            for (var i = 0; i < image.Length; i++) image[i] = (float)random.NextDouble();
            Directory.CreateDirectory(Path.Combine(data, Names[c]));
            new H5Case(new Volume(Shape, image), new Volume(Shape, label)).Write(Path.Combine(data, Names[c], "mri_norm2.h5"));
        }
        File.WriteAllLines(Path.Combine(data, "test.list"), Names);
        return data;
    }

    // Zero segmentation-head weights with a large foreground bias: every voxel is foreground.
    private string WriteCheckpoint()
    {
        var path = _temp.File("model.pth");
        if (File.Exists(path)) return path;
        var net = new PmcmNet(new NetworkOptions { NFilters = 2, Classes = 2 });
        using (no_grad())
            foreach (var (name, parameter) in net.named_parameters())
            {
                if (name.EndsWith("out_conv.weight", StringComparison.Ordinal)) parameter.zero_();
                if (name.EndsWith("out_conv.bias", StringComparison.Ordinal)) parameter.copy_(tensor(new[] { 0f, 3f }));
            }
        PyTorchStateDict.Save(net, path);
        return path;
    }
}
