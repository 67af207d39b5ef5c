using Pmcm.Learning.Losses;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Training;

/// <summary>A PMCM network small enough for unit tests, with a random batch whose labels are a ball.</summary>
public static class TinyPmcm
{
    public static (PmcmStep Step, PmcmNet Model) Create(int nFilters = 2, PmcmLossOptions? loss = null, double dropout = 0.5)
    {
        manual_seed(7);
        var options = new NetworkOptions { NFilters = nFilters, DropoutRate = dropout };
        var model = new PmcmNet(options);
        var step = new PmcmStep(model, new MappingNet(2, 8), new MappingNet(2, 8), loss ?? PmcmLossOptions.La, new OptimizerOptions());
        return (step, model);
    }

    public static BatchTensors Batch(int side = 16, int batch = 4)
    {
        var image = randn(new long[] { batch, 1, side, side, side });
        var grid = arange(side, dtype: ScalarType.Float32) - side / 2f;
        var r2 = grid.view(-1, 1, 1).square() + grid.view(1, -1, 1).square() + grid.view(1, 1, -1).square();
        var ball = r2.lt(side * side / 9f);
        var label = ball.to_type(ScalarType.Int64).unsqueeze(0).expand(batch, -1, -1, -1).contiguous();
        image += 2 * label.unsqueeze(1).to_type(ScalarType.Float32);
        var sdf = (r2.sqrt() / side - 1f / 3).clamp(-1, 1).unsqueeze(0).expand(batch, -1, -1, -1).contiguous();
        return new BatchTensors(image, label, sdf, batch / 2);
    }
}
