using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pmcm.Learning;
using Pmcm.Learning.Reference;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm check-reference --vectors DIR [--json]`: runs one training step from a dump of the authors' PyTorch
/// code and compares every term, output and gradient; exit 0 only if all are within tolerance.
/// </summary>
public static class CheckReferenceCommand
{
    public static Command Create()
    {
        var vectors = new Option<DirectoryInfo>("--vectors") { Description = "A vectors directory (init/, batch/, losses.json, outputs/, grads/)", Required = true };
        var json = CommonOptions.Json();
        var all = new Option<bool>("--all") { Description = "List every gradient, not only the summary per network" };
        var threads = CommonOptions.Threads();
        var command = new Command("check-reference", "Reproduce one training step of the reference implementation and compare term by term") { vectors, json, all, threads };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            TorchRuntime.SetThreads(parse.GetValue(threads));
            var report = ReferenceCheck.Run(parse.GetValue(vectors)!.FullName);
            if (parse.GetValue(json)) PrintJson(report);
            else PrintTable(report, parse.GetValue(all));
            return report.Pass ? 0 : 1;
        }));
        return command;
    }

    private static void PrintJson(ReferenceReport report)
    {
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["total_loss"] = report.TotalLoss,
            ["reference_total_loss"] = report.ReferenceTotalLoss,
            ["max_rel_error_terms"] = report.MaxError("terms"),
            ["max_rel_error_outputs"] = report.MaxError("outputs"),
            ["max_rel_error_grads"] = report.MaxError("grads"),
            ["pass"] = report.Pass,
            ["failed"] = report.Comparisons.Where(c => !c.Pass).Select(c => $"{c.Group}/{c.Name}").ToArray(),
            ["conditioning_judged"] = report.Comparisons.Where(c => c.Measure.EndsWith("/cond", StringComparison.Ordinal)).Select(c => $"{c.Group}/{c.Name}").ToArray(),
            ["skipped"] = report.Skipped.ToArray(),
            ["comparisons"] = report.Comparisons.Select(c => new Dictionary<string, object>
            {
                ["group"] = c.Group, ["name"] = c.Name, ["reference"] = c.Reference, ["ours"] = c.Ours,
                ["error"] = c.Error, ["tolerance"] = c.Tolerance, ["measure"] = c.Measure, ["pass"] = c.Pass,
            }).ToArray(),
        }, Ui.Json));
    }

    private static void PrintTable(ReferenceReport report, bool all)
    {
        var console = Ui.Out();
        var table = new Table().AddColumn("group").AddColumn("term")
            .AddColumn(new TableColumn("reference").RightAligned()).AddColumn(new TableColumn("ours").RightAligned())
            .AddColumn(new TableColumn("error").RightAligned()).AddColumn(new TableColumn("tolerance").RightAligned()).AddColumn("");
        foreach (var c in report.Comparisons.Where(c => all || !c.Group.StartsWith("grads", StringComparison.Ordinal) || !c.Pass || c.Measure.EndsWith("/cond", StringComparison.Ordinal)))
            table.AddRow(c.Group, Markup.Escape(c.Name), G(c.Reference), G(c.Ours), $"{c.Error:E2} {c.Measure}", $"{c.Tolerance:E1}", c.Pass ? "[green]ok[/]" : "[red]FAIL[/]");
        foreach (var group in report.Comparisons.Where(c => c.Group.StartsWith("grads", StringComparison.Ordinal)).GroupBy(c => c.Group))
            table.AddRow(group.Key, $"{group.Count()} gradients", "", "", $"max {group.Where(c => c.Measure == "rel").Select(c => c.Error).DefaultIfEmpty(0).Max():E2} rel", "1.0E-003",
                group.All(c => c.Pass) ? "[green]ok[/]" : "[red]FAIL[/]");
        console.Write(table);
        foreach (var s in report.Skipped) console.MarkupLine($"[grey]not compared: {Markup.Escape(s)}[/]");
        console.MarkupLine(report.Comparisons.Any(c => c.Measure.EndsWith("/cond", StringComparison.Ordinal))
            ? "[grey]/cond: gradient outside 1e-3 judged against a float64 run of the same step (allowed error = the reference's own float32 error)[/]"
            : "");
        console.MarkupLine(report.Pass
            ? $"[green]PASS[/]: total loss {report.TotalLoss:G8} (reference {report.ReferenceTotalLoss:G8})"
            : $"[red]FAIL[/]: {report.Comparisons.Count(c => !c.Pass)} comparisons outside tolerance");
    }

    private static string G(double v) => v.ToString("G7", CultureInfo.InvariantCulture);
}
