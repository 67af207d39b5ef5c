using Pmcm.Core.Data;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Inference;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Inference;

public class EvaluatorTests
{
    private static LabeledCase BoxCase(string name, Shape3 shape, int side)
    {
        var label = new byte[shape.Count];
        for (var x = 2; x < 2 + side; x++)
        for (var y = 3; y < 3 + side; y++)
        for (var z = 1; z < 1 + side; z++)
            label[shape.Index(x, y, z)] = 1;
        return new LabeledCase(name, new Volume(shape, TinyNets.Image(shape)), label);
    }

    [Theory]
    [InlineData(3f)]   // everything foreground
    [InlineData(-3f)]  // nothing: an empty prediction scores 0
    public void ScoresEveryCaseWithTheMedpyMetrics(float logit)
    {
        var shape = new Shape3(20, 18, 17);
        var cases = new[] { BoxCase("a", shape, 4), BoxCase("b", shape, 6) };
        var evaluator = new Evaluator(new SlidingWindowInferer(TinyNets.Constant(logit), CPU, new InferenceOptions(TinyNets.Window())));

        var scored = evaluator.Score(cases);

        Assert.Equal(["a", "b"], scored.Select(s => s.Name));
        // All-foreground: Dice = 2|L| / (|L| + N), Jaccard = |L| / N.
        var n = (double)shape.Count;
        foreach (var (s, side) in scored.Zip(new[] { 4, 6 }))
        {
            var l = Math.Pow(side, 3);
            Assert.Equal(logit > 0 ? 2 * l / (l + n) : 0, s.Scores.Dice, 1e-12);
            Assert.Equal(logit > 0 ? l / n : 0, s.Scores.Jaccard, 1e-12);
            Assert.Equal(logit < 0, s.Scores.EmptyPrediction);
            Assert.All(s.Mask, m => Assert.Equal(logit > 0 ? 1 : 0, m));
        }
    }

    [Fact]
    public void ANetworkLeftInTrainingModeIsEvaluatedInEvaluationMode()
    {
        var shape = new Shape3(16, 16, 16);
        var net = TinyNets.Random();
        var evaluator = new Evaluator(new SlidingWindowInferer(net, CPU, new InferenceOptions(TinyNets.Window())));
        var before = evaluator.Score(BoxCase("a", shape, 4));
        // A training step in between switches BatchNorm to batch statistics; the next evaluation must not use them.
        net.train();
        var after = evaluator.Score(BoxCase("a", shape, 4));
        Assert.False(net.training);
        Assert.Equal(before.Mask, after.Mask);
        Assert.Equal(before.Scores, after.Scores);
    }
}
