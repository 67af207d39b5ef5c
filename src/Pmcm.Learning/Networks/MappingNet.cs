using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pmcm.Learning.Networks;

/// <summary>
/// One CML mapping network (ALGORITHM.md §1/§4): Conv3d 1×1×1 C→8 → BatchNorm3d → ReLU → Conv3d 1×1×1 8→C,
/// translating segmentation probabilities into SDF logits or SDF values into segmentation logits.
/// Keys <c>map.0</c>, <c>map.1</c>, <c>map.3</c> as in the reference; Kaiming-normal conv weights, BN weight 1, bias 0.
/// </summary>
public sealed class MappingNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential map;

    public MappingNet(int classes, int hiddenChannels) : base(nameof(MappingNet))
    {
        var first = nn.Conv3d(classes, hiddenChannels, kernel_size: 1, padding: 0L);
        var norm = nn.BatchNorm3d(hiddenChannels);
        var last = nn.Conv3d(hiddenChannels, classes, kernel_size: 1, padding: 0L);
        using (no_grad())
        {
            nn.init.kaiming_normal_(first.weight);
            nn.init.kaiming_normal_(last.weight);
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }
        map = nn.Sequential(first, norm, nn.ReLU(inplace: true), last);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => map.forward(input);
}
