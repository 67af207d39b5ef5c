using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Preparation;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Preparation;

public class DatasetPreparerTests
{
    private static readonly Shape3 Shape = new(24, 20, 10);

    private static void WriteCase(string root, string name, Volume? image, Volume? label)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        if (image is not null) NrrdWriter.Write(Path.Combine(folder, RawDatasets.LeftAtriumImage), image);
        if (label is not null) NrrdWriter.Write(Path.Combine(folder, RawDatasets.LeftAtriumLabel), label);
    }

    private static Volume Label() => RawScans.Box(Shape, (8, 12, 6, 9, 2, 5), 255);

    private static PreparedCase Prepare(RawCase raw) =>
        LeftAtriumPreparation.Prepare(raw.Name, VolumeIO.Read(raw.ImagePath), VolumeIO.Read(raw.LabelPath!), LeftAtriumPreparation.RngFor(7, raw.Name));

    [Fact]
    public void Bad_cases_fail_one_by_one_and_the_others_are_written_and_listed()
    {
        using var dir = new TempDir();
        var raw = dir.File("raw");
        foreach (var name in new[] { "a", "b", "c" }) WriteCase(raw, name, RawScans.XRamp(Shape), Label());
        WriteCase(raw, "d-no-label", RawScans.XRamp(Shape), null);
        WriteCase(raw, "e-other-shape", RawScans.XRamp(Shape), RawScans.Box(new Shape3(24, 20, 9), (8, 12, 6, 9, 2, 5), 255));
        WriteCase(raw, "f-empty", RawScans.XRamp(Shape), Volume.Zeros(Shape));
        WriteCase(raw, "g-unreadable", null, Label());
        File.WriteAllText(Path.Combine(raw, "g-unreadable", RawDatasets.LeftAtriumImage), "this is not a NRRD file");
        Directory.CreateDirectory(Path.Combine(raw, "not-a-case"));

        var output = dir.File("prepared");
        var heard = new List<string>();
        var report = new DatasetPreparer(output, PreparedLayout.LeftAtrium) { Failed = f => heard.Add(f.Name) }
            .Run(RawDatasets.LeftAtrium(raw), Prepare, new PreparationSplitOptions(TestFraction: 1 / 3.0, Seed: 3));

        Assert.Equal(["a", "b", "c"], report.Prepared.Select(p => p.Name));
        Assert.Equal(["d-no-label", "e-other-shape", "f-empty", "g-unreadable"], report.Failures.Select(f => f.Name));
        Assert.Equal(heard, report.Failures.Select(f => f.Name));
        Assert.Contains("no label file", report.Failures[0].Reason);
        Assert.Contains("24×20×9", report.Failures[1].Reason);
        Assert.Contains("no foreground", report.Failures[2].Reason);
        Assert.Contains(RawDatasets.LeftAtriumImage, report.Failures[3].Reason);
        Assert.Equal(3, Directory.GetFiles(output, "*.h5", SearchOption.AllDirectories).Length);

        // One of three cases in test.list, the two others in train.list in input order.
        var train = CaseList.Read(Path.Combine(output, "train.list"));
        var test = CaseList.Read(Path.Combine(output, "test.list"));
        Assert.Single(test);
        Assert.Equal(new[] { "a", "b", "c" }.Where(n => n != test[0]), train);

        var written = H5Case.Read(Path.Combine(output, "a", "mri_norm2.h5"));
        Assert.Equal(VoxelType.Float32, written.Image.Type);
        Assert.Equal(VoxelType.UInt8, written.Label!.Type);
        Assert.Equal(5 * 4 * 4, written.Label.Data.Sum());
    }

    [Fact]
    public void A_test_list_is_kept_and_train_list_is_every_other_case_in_input_order()
    {
        using var dir = new TempDir();
        var raw = dir.File("raw");
        foreach (var name in new[] { "a", "b", "c", "d" }) WriteCase(raw, name, RawScans.XRamp(Shape), Label());
        var output = dir.File("prepared");
        var report = new DatasetPreparer(output, PreparedLayout.LeftAtrium)
            .Run(RawDatasets.LeftAtrium(raw), Prepare, new PreparationSplitOptions(TestList: ["d", "b"]));

        Assert.Equal(["a", "c"], report.Split.Train);
        Assert.Equal(["d", "b"], CaseList.Read(Path.Combine(output, "test.list")));

        var unknown = Assert.Throws<PmcmException>(() => new DatasetPreparer(output, PreparedLayout.LeftAtrium)
            .Run(RawDatasets.LeftAtrium(raw), Prepare, new PreparationSplitOptions(TestList: ["a", "zz"])));
        Assert.Contains("zz", unknown.Message);
    }

    [Fact]
    public void Seeded_split_repeats_for_a_seed_and_covers_every_case_once()
    {
        var cases = Enumerable.Range(0, 10).Select(i => $"case{i}").ToList();
        var first = PreparationSplit.Create(cases, new PreparationSplitOptions(0.2, 5));
        Assert.Equal(2, first.Test.Count);
        Assert.Equal(cases, cases.Where(c => first.Train.Contains(c) || first.Test.Contains(c)));
        Assert.Empty(first.Train.Intersect(first.Test));
        Assert.Equal(first.Test, PreparationSplit.Create(cases, new PreparationSplitOptions(0.2, 5)).Test);
        Assert.Throws<PmcmException>(() => PreparationSplit.Create(cases, new PreparationSplitOptions(1.0, 5)));
    }
}
