using Pmcm.Core.Inference;
using Pmcm.Core.Metrics;
using Pmcm.Core.Volumes;

namespace Pmcm.Learning.Training;

/// <summary>One case to score: its name, image and binary label.</summary>
public sealed record LabeledCase(string Name, Volume Image, byte[] Label);

/// <summary>Sliding-window prediction of decoder 1 on labeled cases, scored with the medpy-exact metrics.</summary>
public static class Validation
{
    public static IReadOnlyList<SegmentationScores> Score(IReadOnlyList<LabeledCase> cases, WindowBatchPredictor predictor, SlidingWindowOptions window)
    {
        var scores = new List<SegmentationScores>(cases.Count);
        foreach (var c in cases)
        {
            var result = SlidingWindow.Predict(c.Image.Data, c.Image.Shape, window, predictor);
            var prediction = new bool[result.Mask.Length];
            var reference = new bool[result.Mask.Length];
            for (var i = 0; i < prediction.Length; i++)
            {
                prediction[i] = result.Mask[i] != 0;
                reference[i] = c.Label[i] != 0;
            }
            scores.Add(SegmentationMetrics.Compute(prediction, reference, c.Image.Shape));
        }
        return scores;
    }
}
