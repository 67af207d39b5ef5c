using Pmcm.Core;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Training;

// Each test seeds the global generator and compares runs that must draw the same numbers (dropout, initial weights).
[Collection("Torch generator")]
public class TrainingMethodTests
{
    [Theory]
    [InlineData("pmcm", new[] { "Co_loss/consistency_loss", "Co_loss/u_sim_loss", "loss/seg_bd_map_loss", "loss/1_seg_bd_loss", "Labeled_loss/bd_loss" }, new string[0])]
    [InlineData("pmcm-no-pml", new[] { "loss/seg_bd_map_loss", "loss/1_seg_bd_loss", "Labeled_loss/bd_loss" }, new[] { "Co_loss/consistency_loss", "Co_loss/u_sim_loss" })]
    [InlineData("pmcm-no-cml", new[] { "Co_loss/consistency_loss", "Co_loss/u_sim_loss", "Labeled_loss/bd_loss" }, new[] { "loss/seg_bd_map_loss", "loss/1_seg_bd_loss" })]
    [InlineData("pmcm-supervised-terms", new[] { "Labeled_loss/loss_seg_dice", "Labeled_loss/bd_loss" }, new[] { "Co_loss/consistency_loss", "Co_loss/u_sim_loss", "loss/seg_bd_map_loss", "loss/1_seg_bd_loss" })]
    [InlineData("mcnet", new[] { "Labeled_loss/loss_seg_dice", "Co_loss/consistency_loss", "Co_loss/consist_weight" }, new[] { "Labeled_loss/bd_loss", "Co_loss/u_sim_loss" })]
    [InlineData("supervised", new[] { "Labeled_loss/loss_seg_dice", "Labeled_loss/loss_seg_ce" }, new[] { "Co_loss/consistency_loss" })]
    [InlineData("supervised-unlabeled-bn", new[] { "Labeled_loss/loss_seg_dice", "Labeled_loss/loss_seg_ce" }, new[] { "Co_loss/consistency_loss" })]
    public void EachMethodRunsAStepWithItsDocumentedTerms(string name, string[] present, string[] absent)
    {
        manual_seed(3);
        var method = TrainingMethods.Parse(name);
        var network = TrainingMethods.CreateNetwork(method, new NetworkOptions { NFilters = 2 });
        var step = TrainingMethods.CreateStep(method, network, PmcmLossOptions.La, new OptimizerOptions());
        using var data = NewDisposeScope();
        var values = step.Train(TinyPmcm.Batch(), 6000);
        Assert.True(double.IsFinite(values["total"]));
        Assert.All(present, term => Assert.True(values.ContainsKey(term), $"{name} lacks {term}"));
        Assert.All(absent, term => Assert.False(values.ContainsKey(term), $"{name} should not have {term}"));
        Assert.Equal("model", step.Modules.Keys.First());
    }

    [Theory]
    [InlineData("pmcm", true, true)]
    [InlineData("pmcm-no-pml", true, true)]
    [InlineData("pmcm-no-cml", true, true)]
    [InlineData("pmcm-supervised-terms", true, true)]
    [InlineData("mcnet", true, true)]
    [InlineData("supervised", false, false)]
    [InlineData("supervised-unlabeled-bn", true, false)]
    public void EachMethodSaysWhetherItLearnsFromUnlabeledCasesAndRamps(string name, bool unlabeled, bool ramp)
    {
        var descriptor = TrainingMethods.Describe(TrainingMethods.Parse(name));
        Assert.Equal(name, descriptor.Name);
        Assert.Equal(unlabeled, descriptor.UsesUnlabeled);
        Assert.Equal(ramp, descriptor.UsesRamp);
        // Without unlabeled data a batch holds labeled samples only and the split may label every case.
        var options = TrainingOptions.For(TrainingPreset.La, "d", "r") with { Method = descriptor.Method };
        Assert.Equal(unlabeled ? 2 : 0, options.Sampler.UnlabeledPerBatch);
        Assert.Equal(unlabeled, options.Split.RequireUnlabeled);
    }

    [Theory]
    [InlineData("pmcm")]
    [InlineData("supervised")]
    public void EachStepLogsTheNormOfTheGradientItStepsAlongAndClipsItIfAsked(string name)
    {
        // Plain SGD at lr 1 moves every parameter by exactly its gradient, so the logged norm is the length of the
        // whole update, measured on the parameters themselves; with a limit below it, the update is the limit long.
        var unclipped = Update(name, maxGradientNorm: 0);
        Assert.True(unclipped.Moved > 0);
        Assert.Equal(unclipped.Moved, unclipped.Logged, unclipped.Moved * 1e-5);

        var limit = unclipped.Logged / 4;
        var clipped = Update(name, limit);
        Assert.Equal(unclipped.Logged, clipped.Logged, 1e-9 * unclipped.Logged); // the log keeps the norm before clipping
        Assert.Equal(limit, clipped.Moved, limit * 1e-5);
    }

    private static (double Moved, double Logged) Update(string name, double maxGradientNorm)
    {
        manual_seed(3);
        var method = TrainingMethods.Parse(name);
        var network = TrainingMethods.CreateNetwork(method, new NetworkOptions { NFilters = 2 });
        var step = TrainingMethods.CreateStep(method, network, PmcmLossOptions.La, new OptimizerOptions(1, 0, 0, maxGradientNorm));
        using var data = NewDisposeScope();
        var parameters = step.Modules.Values.SelectMany(m => m.parameters()).ToList();
        var before = parameters.Select(p => p.detach().clone()).ToList();
        manual_seed(4);
        var values = step.Train(TinyPmcm.Batch(), 6000);
        var moved = Math.Sqrt(parameters.Zip(before, (p, b) => (b - p).to_type(ScalarType.Float64).square().sum().item<double>()).Sum());
        return (moved, values[GradientNorm.Column]);
    }

    [Fact]
    public void PmcmSupervisedTermsTrainsOnTheLabeledTermsAlone()
    {
        // Its total is exactly λ·Dice + λβ·SDF: no term that reads the unlabeled cases carries weight.
        manual_seed(3);
        var method = TrainingMethods.Parse("pmcm-supervised-terms");
        var network = TrainingMethods.CreateNetwork(method, new NetworkOptions { NFilters = 2 });
        var step = TrainingMethods.CreateStep(method, network, PmcmLossOptions.La, new OptimizerOptions());
        using var data = NewDisposeScope();
        var values = step.Train(TinyPmcm.Batch(), 6000);
        var la = PmcmLossOptions.La;
        var supervised = la.Supervised * values["Labeled_loss/loss_seg_dice"] + la.Sdf * values["Labeled_loss/bd_loss"];
        Assert.Equal(supervised, values["total"], 1e-5);
        Assert.Equal(0.0, values["weight/feat_sim_weight"]);
        Assert.True(values["Co_loss/feat_sim"] > 0); // computed and logged, not trained on
    }

    [Fact]
    public void SupervisedUnlabeledBnNormalisesOverTheWholeBatchButLearnsFromItsLabeledPart()
    {
        // The same network and draws: its loss is the supervised loss of the labeled rows of a forward pass over the
        // whole batch, which differs from the supervised step's (BatchNorm over the labeled rows alone).
        manual_seed(3);
        var network = (VNet)TrainingMethods.CreateNetwork(TrainingMethod.Supervised, new NetworkOptions { NFilters = 2 });
        using var data = NewDisposeScope();
        var batch = TinyPmcm.Batch();
        var bl = batch.LabeledCount;
        Assert.True(batch.Image.shape[0] > bl);
        network.train();
        manual_seed(4);
        var (_, _, expected) = SupervisedBaselineLoss.Compute(network.forward(batch.Image).Decoder1.Seg[..bl], batch.Label[..bl]);
        manual_seed(4);
        var (_, _, labeledOnly) = SupervisedBaselineLoss.Compute(network.forward(batch.Image[..bl]).Decoder1.Seg, batch.Label[..bl]);
        Assert.NotEqual(expected.item<float>(), labeledOnly.item<float>(), 4);

        var step = TrainingMethods.CreateStep(TrainingMethod.SupervisedUnlabeledBn, network, PmcmLossOptions.La, new OptimizerOptions());
        manual_seed(4);
        var values = step.Train(batch, 6000);
        Assert.Equal(expected.item<float>(), values["Labeled_loss/loss_seg_dice"], 1e-5);
    }

    [Fact]
    public void UnknownMethodNamesTheAllowedOnes()
    {
        var error = Assert.Throws<PmcmException>(() => TrainingMethods.Parse("unet"));
        Assert.Contains("pmcm, pmcm-no-pml, pmcm-no-cml, pmcm-supervised-terms, mcnet, supervised, supervised-unlabeled-bn", error.Message);
    }

    [Fact]
    public void SharpeningPushesProbabilitiesToTheirSide()
    {
        using var scope = NewDisposeScope();
        var sharp = MutualConsistencyLoss.Sharpen(tensor(new float[] { 0.5f, 0.6f, 0.4f })).data<float>().ToArray();
        Assert.Equal(0.5f, sharp[0], 6);
        var r = Math.Pow(1.5, 10);  // 0.6^10 / (0.6^10 + 0.4^10) = r / (r + 1)
        Assert.Equal(r / (r + 1), sharp[1], 5);
        Assert.Equal(1 / (r + 1), sharp[2], 5);
    }

    [Fact]
    public void NetworksKeepTheReferenceKeyLayout()
    {
        var keys = new McNet(new NetworkOptions { NFilters = 2 }).state_dict().Keys.ToHashSet();
        Assert.Contains("decoder2.block_five_up.conv.1.weight", keys); // conv after the trilinear upsample
        Assert.DoesNotContain("decoder1.bout_conv.weight", keys);
        var vnet = new VNet(new NetworkOptions { NFilters = 2 }).state_dict().Keys;
        Assert.DoesNotContain(vnet, k => k.StartsWith("decoder2", StringComparison.Ordinal));
    }
}
