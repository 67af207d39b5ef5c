using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Training;

/// <summary>
/// The window predictor of validation: decoder 1's foreground softmax for a batch of windows, with the
/// network in evaluation mode (BatchNorm running statistics, no dropout) and without gradients.
/// </summary>
public static class Decoder1Windows
{
    public static WindowBatchPredictor Create(SegmentationNet model, Shape3 patch, Device device) => (windows, count) =>
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(windows, [count, 1, patch.X, patch.Y, patch.Z]).to(device);
        var foreground = model.forward(input).Decoder1.Seg.softmax(1)[.., 1].contiguous().cpu();
        return foreground.data<float>().ToArray();
    };
}
