using Pmcm.Core;
using Pmcm.Learning.Losses;
using Pmcm.Learning.Tests.Training;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Losses;

// Seeds libtorch's global generator: must not run beside other tests that draw from it.
[Collection("Torch generator")]
public class LossWeightOverridesTests
{
    [Fact]
    public void Named_weights_replace_the_presets_and_every_other_weight_stays_the_papers()
    {
        var weights = LossWeightOverrides.Parse(" Gamma=0.5, mu=5e-2 ");
        var options = TrainingOptions.For(TrainingPreset.Pancreas, "data", "run") with { LossWeights = weights };

        var loss = options.Loss;
        Assert.Equal((0.5, 0.05), (loss.TaskConsistency, loss.Cycles));
        var pancreas = PmcmLossOptions.Pancreas;
        Assert.Equal((pancreas.Supervised, pancreas.Sdf, pancreas.Diversity, pancreas.Pml, pancreas.Ual, pancreas.DtcTerm),
            (loss.Supervised, loss.Sdf, loss.Diversity, loss.Pml, loss.Ual, loss.DtcTerm));
        Assert.Equal("gamma=0.5,mu=0.05", weights.ToString());
    }

    [Fact]
    public void Every_weight_has_its_equation_name_and_the_text_round_trips()
    {
        var all = LossWeightOverrides.Parse("rho=7,kappa=6,mu=5,phi=4,gamma=3,beta=2,lambda=1");
        var loss = all.ApplyTo(PmcmLossOptions.La);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6, 7 }, new[] { loss.Supervised, loss.Sdf, loss.TaskConsistency, loss.Diversity, loss.Cycles, loss.Pml, loss.Ual });
        Assert.Equal("lambda=1,beta=2,gamma=3,phi=4,mu=5,kappa=6,rho=7", all.ToString());
        Assert.Equal(all, LossWeightOverrides.Parse(all.ToString()));
        Assert.Equal(0.1 + 0.2, LossWeightOverrides.Parse(new LossWeightOverrides { Gamma = 0.1 + 0.2 }.ToString()).Gamma);

        Assert.True(LossWeightOverrides.Parse("paper").IsNone);
        Assert.True(LossWeightOverrides.Parse("").IsNone);
        Assert.Equal("paper", LossWeightOverrides.None.ToString());
        Assert.Equal(PmcmLossOptions.La, LossWeightOverrides.None.ApplyTo(PmcmLossOptions.La));
        // Zero is a weight (the term off), not "unset".
        Assert.Equal(0.0, LossWeightOverrides.Parse("mu=0").ApplyTo(PmcmLossOptions.La).Cycles);
    }

    [Theory]
    [InlineData("delta=1", "'delta'")]
    [InlineData("gamma", "name=value")]
    [InlineData("gamma=1=2", "name=value")]
    [InlineData("gamma=-0.1", "0 or more")]
    [InlineData("gamma=NaN", "finite")]
    [InlineData("gamma=Infinity", "finite")]
    [InlineData("gamma=lots", "'lots'")]
    [InlineData("gamma=1,GAMMA=2", "twice")]
    public void A_bad_weight_is_refused_saying_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<PmcmException>(() => LossWeightOverrides.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("--loss-weights", e.Message);
    }

    [Theory]
    [InlineData(TrainingMethod.Supervised)]
    [InlineData(TrainingMethod.SupervisedUnlabeledBn)]
    [InlineData(TrainingMethod.McNet)]
    public void A_method_without_PMCMs_objective_refuses_weights(TrainingMethod method)
    {
        var options = TrainingOptions.For(TrainingPreset.La, "data", "run") with { Method = method, LossWeights = new LossWeightOverrides { Gamma = 1 } };
        var e = Assert.Throws<PmcmException>(options.Validate);
        Assert.Contains(TrainingMethods.Name(method), e.Message);
        (options with { LossWeights = LossWeightOverrides.None }).Validate();
    }

    [Fact]
    public void Scaling_gamma_and_mu_scales_exactly_the_CML_parts_of_the_step()
    {
        set_num_threads(1);
        var paper = Parts(PmcmLossOptions.La);
        var heavier = Parts(new LossWeightOverrides { Gamma = 0.5, Mu = 0.05 }.ApplyTo(PmcmLossOptions.La));

        // γ and μ are 10× the paper's LA weights: the task and cycle parts grow 10×, nothing else moves.
        foreach (var (name, value) in paper)
        {
            var factor = name is PmcmLossParts.Task or PmcmLossParts.Cycles ? 10 : 1;
            Assert.Equal(factor * value, heavier[name], 1e-5 * Math.Abs(factor * value) + 1e-9);
        }
        Assert.True(paper[PmcmLossParts.Task] > 0 && paper[PmcmLossParts.Cycles] > 0);
    }

    private static Dictionary<string, double> Parts(PmcmLossOptions loss)
    {
        var (step, _) = TinyPmcm.Create(loss: loss, dropout: 0);
        using var scope = NewDisposeScope();
        var terms = step.Losses(TinyPmcm.Batch(), iteration: 6000); // full ramp
        return terms.Parts.ToDictionary(p => p.Key, p => PmcmStep.Value(p.Value));
    }
}
