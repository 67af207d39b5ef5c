using System.CommandLine;
using System.Text.Json;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;
using Spectre.Console;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm gradients --run RUN_DIR [--checkpoint last|best|FILE] [--batches N] [--seed S] [--loss-weights W] [--json]`: how
/// much of a trained PMCM run's step each loss term makes (<see cref="GradientDiagnosis"/>), beside how much of the loss
/// value it is; with `--loss-weights`, how much it would make at other weights from the same network.
/// Nothing is trained; the run folder is only read (and its data cache reused).
/// </summary>
public static class GradientsCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Run folder of a pmcm (or ablation) training run", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "last, best, or a checkpoint file of this run (e.g. a copy of an earlier last.ckpt)", DefaultValueFactory = _ => "last" };
        var batches = new Option<int>("--batches") { Description = "Training batches to average over", DefaultValueFactory = _ => 16 };
        var seed = new Option<int>("--seed") { Description = "Seed of the batch stream and dropout", DefaultValueFactory = _ => 1 };
        var lossWeights = new Option<string?>("--loss-weights") { Description = $"Split the step as if the run's objective had these weights (name=value pairs: {LossWeightOverrides.Allowed}; paper = the preset's); default: the run's" };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("gradients", "Split a trained PMCM run's gradient by loss term: each term's norm, alignment and share of the step")
        {
            run, checkpoint, batches, seed, lossWeights, threads, json,
        };
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var weights = parse.GetValue(lossWeights) is { } text ? LossWeightOverrides.Parse(text) : null;
            var result = GradientDiagnosis.Run(new GradientDiagnosisOptions(parse.GetValue(run)!, parse.GetValue(checkpoint)!, parse.GetValue(batches), parse.GetValue(seed), parse.GetValue(threads), weights));
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(result, Ui.Json));
            else Print(result);
            return 0;
        }));
        return command;
    }

    private static void Print(GradientDiagnosisResult r)
    {
        var console = Ui.Out();
        console.MarkupLine(Markup.Escape($"{r.Method}, {r.Checkpoint} (iteration {r.Iteration}), {r.Batches} training batches, loss weights {r.LossWeights}"));
        var clip = r.MaxGradientNorm > 0 ? $"; above the run's limit {r.MaxGradientNorm:G4} in {r.ClippedBatches} of {r.Batches} batches" : "";
        console.MarkupLine(Markup.Escape($"total gradient norm: mean {r.MeanTotalNorm:F3}, max {r.MaxTotalNorm:F3}{clip}"));
        var totalValue = r.Parts.Sum(p => p.Value);
        var table = new Table().AddColumns("term", "weighted value", "share of loss", "‖∇‖", "cos(∇, ∇total)", "share of step ± std");
        foreach (var p in r.Parts)
            table.AddRow(p.Part, $"{p.Value:F4}", totalValue != 0 ? $"{p.Value / totalValue:P1}" : "-", $"{p.Norm:F3}", $"{p.Cosine:F3}", $"{p.Share:P1} ± {p.ShareStd:P1}");
        console.Write(table);
        console.MarkupLine("share of step: the term's gradient projected on the step's, ⟨∇term, ∇total⟩ / ‖∇total‖²; the shares sum to 100 %.");
    }
}
