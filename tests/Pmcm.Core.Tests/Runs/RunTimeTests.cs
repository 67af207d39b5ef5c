using Pmcm.Core.Runs;

namespace Pmcm.Core.Tests.Runs;

public sealed class RunTimeTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Sums_every_iteration_and_every_validation_across_a_resume()
    {
        var files = new RunFiles(_temp.Path);
        var log = TrainingLog.Create(files.Log);
        log.Append(0, new Dictionary<string, double> { ["total"] = 1, ["seconds"] = 1.5 });
        log.Append(1, new Dictionary<string, double> { ["total"] = 1, ["seconds"] = 2.25 });
        log.Append(2, new Dictionary<string, double> { ["total"] = 1, ["seconds"] = 100 }); // past the checkpoint: dropped
        TrainingLog.Create(files.ValidationLog).Append(2, new Dictionary<string, double> { ["dice"] = 0.5, ["seconds"] = 10 });

        // The second session resumes from the checkpoint at iteration 2 and logs its own rows.
        var resumed = TrainingLog.Resume(files.Log, 2);
        resumed.Append(2, new Dictionary<string, double> { ["total"] = 1, ["seconds"] = 0.25 });
        TrainingLog.Resume(files.ValidationLog, 3).Append(3, new Dictionary<string, double> { ["dice"] = 0.6, ["seconds"] = 4 });

        Assert.Equal(1.5 + 2.25 + 0.25 + 10 + 4, RunTime.Seconds(files));
    }

    [Fact]
    public void Is_unknown_for_a_run_whose_logs_did_not_keep_the_time()
    {
        var files = new RunFiles(_temp.Path);
        Assert.Null(RunTime.Seconds(files)); // no log at all

        TrainingLog.Create(files.Log).Append(0, new Dictionary<string, double> { ["total"] = 1, ["seconds"] = 1 });
        TrainingLog.Create(files.ValidationLog).Append(1, new Dictionary<string, double> { ["dice"] = 0.5 });
        Assert.Null(RunTime.Seconds(files));

        TrainingLog.Create(files.Log).Append(0, new Dictionary<string, double> { ["total"] = 1 });
        TrainingLog.Create(files.ValidationLog).Append(1, new Dictionary<string, double> { ["dice"] = 0.5, ["seconds"] = 1 });
        Assert.Null(RunTime.Seconds(files));
    }
}
