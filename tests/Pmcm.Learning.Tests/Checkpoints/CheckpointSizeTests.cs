using System.IO.Compression;
using Pmcm.Core.Data;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Checkpoints;

/// <summary>
/// The size bound that refuses an oversized checkpoint before reading it must admit every real one: a paper-sized
/// network's, and those written before entries were stored instead of deflated (deflate expanded floats by 5 %,
/// which pushed a weight-averaged nf8 run past the bound and made it unresumable).
/// </summary>
[Collection("Torch generator")]
public class CheckpointSizeTests
{
    [Fact]
    public void A_paper_sized_checkpoint_round_trips_and_a_deflated_older_one_still_loads()
    {
        using var temp = new TempDir();
        manual_seed(3);
        using var model = new VNet(new NetworkOptions { NFilters = 16 });
        var optimizer = new OptimizerOptions().Sgd(model.parameters());
        using (NewDisposeScope())
        {
            // One step, so the momentum buffers exist and are saved.
            model.train();
            model.forward(randn(new long[] { 1, 1, 16, 16, 16 })).Decoder1.Seg.mean().backward();
            optimizer.step();
        }
        var modules = new Dictionary<string, nn.Module> { ["model"] = model };
        var sampler = new TwoStreamBatchSampler(4, 4, new SamplerOptions(2, 2), 1);
        var state = new TrainingState(7, new BatchResumePoint(7, sampler.State), 0.5, 7);
        var stored = temp.File("stored.ckpt");
        TrainingCheckpoint.Save(stored, modules, optimizer, state);

        Assert.Equal(7, TrainingCheckpoint.Load(stored, modules, optimizer).Iteration);

        var deflated = temp.File("deflated.ckpt");
        Deflate(stored, deflated);
        var rawTensorBytes = model.parameters().Sum(p => p.numel() * 4) * 2;
        Assert.True(new FileInfo(deflated).Length > rawTensorBytes + (1 << 20), "the older format must exceed the tensors' bytes by more than the slack");
        Assert.Equal(7, TrainingCheckpoint.Load(deflated, modules, optimizer).Iteration);
    }

    /// <summary>Rewrites every entry deflated at the fastest level, as checkpoints were written before.</summary>
    private static void Deflate(string source, string target)
    {
        using var input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(target, ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            using var from = entry.Open();
            using var to = output.CreateEntry(entry.Name, CompressionLevel.Fastest).Open();
            from.CopyTo(to);
        }
    }
}
