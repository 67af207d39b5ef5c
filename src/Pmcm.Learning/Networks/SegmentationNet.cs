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

    /// <summary>
    /// Decoder 1's segmentation logits, what a prediction needs, equal to <c>forward(input).Decoder1.Seg</c> in evaluation mode: only
    /// the encoder and decoder 1 run (no second decoder, no SDF head): for PMCM and MC-Net 46 % of the full
    /// forward's convolution arithmetic, decoder 2's convolutional upsampling being the largest part of it.
    /// </summary>
    public abstract Tensor SegmentationLogits(Tensor input);

    /// <summary>
    /// What the encoder and decoder blocks compute in; a mode of the module like train/eval, so that the same
    /// float32 weights train or predict in either. Outputs are float32 in both.
    /// </summary>
    public Precision Precision
    {
        get => precision ?? Options.Precision;
        set => precision = value;
    }

    private Precision? precision;

    /// <summary>The network input in bf16 when that is the precision; otherwise as it is (float32, or float64 in the reference check).</summary>
    protected Tensor ToComputeType(Tensor input) => Precision == Precision.Bf16 ? input.to_type(ScalarType.BFloat16) : input;
}
