using Pmcm.Core.Data;
using Pmcm.Core.Metrics;
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
    public void TheLargestComponentDropsAStrayBlobFromTheSamePrediction()
    {
        var shape = new Shape3(20, 18, 17);
        var c = BoxCase("a", shape, 4); // the 4³ box at (2..5, 3..6, 1..4)
        var mask = (byte[])c.Label.Clone();
        // A 2³ blob far off: an eighth of the prediction's surface, so it sets HD95 (the farthest 5 % of surface points).
        for (var x = 16; x < 18; x++)
        for (var y = 14; y < 16; y++)
        for (var z = 13; z < 15; z++)
            mask[shape.Index(x, y, z)] = 1;
        var raw = SegmentationMetrics.Compute(mask.Select(m => m != 0).ToArray(), c.Label.Select(m => m != 0).ToArray(), shape);
        Assert.True(raw.Hd95 > 10, $"HD95 {raw.Hd95}");
        Assert.Equal(2 * 64.0 / (72 + 64), raw.Dice, 1e-12);
        var scored = new EvaluatedCase("a", raw, mask);

        var largest = Evaluator.ScoreLargestComponent(scored, c);

        Assert.Equal((1.0, 1.0, 0.0, 0.0, false), (largest.Dice, largest.Jaccard, largest.Hd95, largest.Asd, largest.EmptyPrediction));
        Assert.Equal(72, mask.Count(m => m == 1)); // the prediction itself is left as it was
        var error = Assert.Throws<ArgumentException>(() => Evaluator.ScoreLargestComponent(scored with { Name = "b" }, c));
        Assert.Contains("is not one of a", error.Message);
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
