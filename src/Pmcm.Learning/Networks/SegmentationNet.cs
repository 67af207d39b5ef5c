using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// Any Pmcm network: a V-Net encoder with one or two decoders. Inference and checkpoints only need decoder 1's
/// segmentation logits and the module itself, whatever the training method.
/// </summary>
public abstract class SegmentationNet(string name) : nn.Module<Tensor, SegmentationOutputs>(name)
{
    public abstract NetworkOptions Options { get; }
}
