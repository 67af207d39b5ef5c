using TorchSharp;

namespace Pmcm.Learning.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void LibTorchLoadsAndComputes()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(1, 5, dtype: torch.float32);
        Assert.Equal(10f, x.sum().item<float>());
    }
}
