using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Pmcm.Learning.Networks.VNetBlocks;

namespace Pmcm.Learning.Networks;

/// <summary>
/// The shared V-Net encoder: five resolution levels with n, 2n, 4n, 8n, 16n channels.
/// Returns the skip features x1..x4 and the bottleneck x5 (dropout on x5 while training).
/// </summary>
public sealed class Encoder : nn.Module<Tensor, Tensor[]>
{
    // Field names are the reference's state_dict names, so the authors' checkpoints load unchanged.
    private readonly ConvBlock block_one, block_one_dw, block_two, block_two_dw, block_three, block_three_dw, block_four, block_four_dw, block_five;
    private readonly Dropout3d dropout;
    private readonly bool useDropout;

    public Encoder(int inChannels, int nFilters, double dropoutRate) : base(nameof(Encoder))
    {
        var n = nFilters;
        block_one = new ConvBlock(ConvStages(1, inChannels, n));
        block_one_dw = new ConvBlock(Down(n, 2 * n));
        block_two = new ConvBlock(ConvStages(2, 2 * n, 2 * n));
        block_two_dw = new ConvBlock(Down(2 * n, 4 * n));
        block_three = new ConvBlock(ConvStages(3, 4 * n, 4 * n));
        block_three_dw = new ConvBlock(Down(4 * n, 8 * n));
        block_four = new ConvBlock(ConvStages(3, 8 * n, 8 * n));
        block_four_dw = new ConvBlock(Down(8 * n, 16 * n));
        block_five = new ConvBlock(ConvStages(3, 16 * n, 16 * n));
        useDropout = dropoutRate > 0;
        dropout = nn.Dropout3d(useDropout ? dropoutRate : 0.5);
        RegisterComponents();

    }

    public override Tensor[] forward(Tensor input)
    {
        var x1 = block_one.forward(input);
        var x2 = block_two.forward(block_one_dw.forward(x1));
        var x3 = block_three.forward(block_two_dw.forward(x2));
        var x4 = block_four.forward(block_three_dw.forward(x3));
        var x5 = block_five.forward(block_four_dw.forward(x4));
        if (useDropout) x5 = dropout.forward(x5);
        return [x1, x2, x3, x4, x5];
    }
}
