using System.CommandLine;
using System.Diagnostics;
using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Preparation;

namespace Pmcm.Cli.Commands;

/// <summary>
/// `pmcm prepare la|pancreas`: the community's preprocessing of the raw challenge releases into the layout the
/// other commands read (<c>&lt;case&gt;/mri_norm2.h5</c> or <c>&lt;case&gt;_norm.h5</c>, <c>train.list</c>,
/// <c>test.list</c>). One line per case; a case that fails is named with its reason on stderr and skipped,
/// and the exit code is 1 when any case failed (the others are still written).
/// </summary>
public static class PrepareCommand
{
    public static Command Create()
    {
        var command = new Command("prepare", "Preprocess a raw dataset (LA 2018 challenge NRRD, Pancreas-CT NIfTI) into the community layout");
        command.Subcommands.Add(LeftAtrium());
        command.Subcommands.Add(Pancreas());
        return command;
    }

    private sealed class SplitArguments
    {
        private readonly Option<string> _out = new("--out") { Description = "Folder to write the prepared cases and train.list/test.list into", Required = true };
        private readonly Option<int> _seed = new("--seed") { Description = "Seed of the random margins (LA) and of the test split", DefaultValueFactory = _ => 1337 };
        private readonly Option<double> _testFraction = new("--test-fraction") { Description = "Share of prepared cases put in test.list (seeded)", DefaultValueFactory = _ => 0.2 };
        private readonly Option<string?> _testList = new("--test-list") { Description = "Use this case list as test.list instead of a seeded split (e.g. the field's 20-case LA list)" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _out, _seed, _testFraction, _testList }) command.Options.Add(option);
        }

        public string Out(ParseResult parse) => parse.GetValue(_out)!;

        public int Seed(ParseResult parse) => parse.GetValue(_seed);

        public PreparationSplitOptions Split(ParseResult parse)
        {
            var list = parse.GetValue(_testList);
            if (list is not null && parse.GetResult(_testFraction) is { Implicit: false })
                throw new PmcmException("give either --test-fraction or --test-list, not both");
            return new PreparationSplitOptions(parse.GetValue(_testFraction), parse.GetValue(_seed), list is null ? null : CaseList.Read(list));
        }
    }

    private static Command LeftAtrium()
    {
        var input = new Option<string>("--input") { Description = "Challenge folder with <case>/lgemri.nrrd and <case>/laendo.nrrd", Required = true };
        var cropZ = new Option<bool>("--crop-z") { Description = "Also crop Z to the label box (UA-MT's script computes but does not apply it)" };
        var split = new SplitArguments();
        var command = new Command("la", "2018 Atrial Segmentation Challenge → <case>/mri_norm2.h5 (UA-MT's la_heart_processing.py)") { input, cropZ };
        split.AddTo(command);
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var cases = RawDatasets.LeftAtrium(parse.GetValue(input)!);
            var seed = (ulong)split.Seed(parse);
            var options = new LeftAtriumPreparationOptions { CropZ = parse.GetValue(cropZ) };
            return Run(split.Out(parse), PreparedLayout.LeftAtrium, cases, split.Split(parse), raw =>
                LeftAtriumPreparation.Prepare(raw.Name, VolumeIO.Read(raw.ImagePath), VolumeIO.Read(raw.LabelPath!),
                    LeftAtriumPreparation.RngFor(seed, raw.Name), options));
        }));
        return command;
    }

    private static Command Pancreas()
    {
        var images = new Option<string>("--images") { Description = "Folder of CT scans in HU (.nii, .nii.gz)", Required = true };
        var labels = new Option<string>("--labels") { Description = "Folder of labels: the image's file name, or with 'image' replaced by 'label'", Required = true };
        var split = new SplitArguments();
        var command = new Command("pancreas", "Pancreas-CT NIfTI → <case>_norm.h5 (MC-Net's preprocessing: 1 mm, HU window, X/Y crop)") { images, labels };
        split.AddTo(command);
        command.SetAction(parse => CliRunner.Guard(() =>
        {
            var cases = RawDatasets.Pancreas(parse.GetValue(images)!, parse.GetValue(labels)!);
            return Run(split.Out(parse), PreparedLayout.Pancreas, cases, split.Split(parse), raw =>
                PancreasPreparation.Prepare(raw.Name, VolumeIO.Read(raw.ImagePath), VolumeIO.Read(raw.LabelPath!)));
        }));
        return command;
    }

    private static int Run(string output, PreparedLayout layout, IReadOnlyList<RawCase> cases, PreparationSplitOptions split, Func<RawCase, PreparedCase> prepare)
    {
        var clock = Stopwatch.StartNew();
        PreparationReport report;
        using (var progress = new TerminalProgress(cases.Count, "cases"))
        {
            report = new DatasetPreparer(output, layout)
            {
                Prepared = f => Console.WriteLine(f.ResampledShape == f.RawShape
                    ? $"{f.Name}: {f.RawShape} → {f.Shape}, crop {f.Crop}"
                    : $"{f.Name}: {f.RawShape} → {f.ResampledShape} (resampled) → {f.Shape}, crop {f.Crop}"),
                Failed = f => Console.Error.WriteLine($"{f.Name}: skipped: {f.Reason}"),
                Progress = progress,
            }.Run(cases, prepare, split);
        }
        Console.WriteLine($"prepared {report.Prepared.Count} of {cases.Count} case(s) into {report.OutputDirectory} in {clock.Elapsed.TotalSeconds:F1} s: " +
                          $"{report.Split.Train.Count} in {DatasetPreparer.TrainListName}, {report.Split.Test.Count} in {DatasetPreparer.TestListName}");
        if (report.Failures.Count == 0) return 0;
        Console.Error.WriteLine($"error: {report.Failures.Count} case(s) failed and were not prepared: {string.Join(", ", report.Failures.Select(f => f.Name))}");
        return 1;
    }
}
