using Pmcm.Core;
using Pmcm.Core.Data;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Training;
using Pmcm.Testing;

namespace Pmcm.Learning.Tests.Training;

public class TrainingOptionsRecordTests
{
    private static readonly DatasetSplit Split = new(["a", "b"], ["c", "d", "e"], ["f"]);

    [Fact]
    public void Options_rebuilt_from_a_written_record_are_the_options_that_wrote_it()
    {
        using var temp = new TempDir();
        // Every field away from its default, so a field FromRecord forgot cannot pass unnoticed.
        var options = TrainingOptions.For(TrainingPreset.Pancreas, Path.GetFullPath(temp.File("data")), temp.File("run")) with
        {
            Labeled = 2, Iterations = 123, Patch = new Shape3(32, 48, 64), RotateFlip = true, BatchSize = 5, LabeledBatchSize = 2,
            NFilters = 4, Classes = 3, DropoutRate = 0.25, LearningRate = 0.02, Momentum = 0.8, WeightDecay = 1e-3,
            LearningRateSchedule = LearningRateSchedule.Poly, EmaDecay = 0.95, MaxGradientNorm = 7, Seed = 42, ValidateEvery = 17,
            ValidationCount = 1, Stride = new Shape3(8, 12, 16), Device = "cpu", Threads = 3, Ramp = RampMode.Reference,
            Corrections = ReferenceCorrections.PmlCrossEntropy | ReferenceCorrections.SdfCycle, Method = TrainingMethod.PmcmNoCml,
            LossWeights = new LossWeightOverrides { Gamma = 0.5, Rho = 0 },
            Downsample = 2, Standardise = true, BatchNormRecalibration = 4, Precision = Precision.Bf16,
        };
        var path = temp.File("run.json");
        options.Record(Split).Write(path);

        Assert.Equal(options, TrainingOptions.FromRecord(RunRecord.Read(path), options.RunDirectory));
    }

    [Theory]
    [InlineData("ramp", "\"sideways\"")]
    [InlineData("preset", "\"brain\"")]
    [InlineData("method", "\"magic\"")]
    [InlineData("loss_weights", "\"omega=1\"")]
    public void A_record_naming_an_unknown_setting_is_refused_with_the_setting_named(string key, string value)
    {
        using var temp = new TempDir();
        var options = TrainingOptions.For(TrainingPreset.La, Path.GetFullPath(temp.File("data")), temp.File("run"));
        var path = temp.File("run.json");
        var json = options.Record(Split).ToJson();
        json[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
        File.WriteAllText(path, json.ToJsonString());

        var e = Assert.Throws<PmcmException>(() => TrainingOptions.FromRecord(RunRecord.Read(path), options.RunDirectory));
        Assert.Contains(value.Trim('"'), e.Message);
    }
}
