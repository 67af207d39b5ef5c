using Pmcm.Core;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
using static TorchSharp.torch;

namespace Pmcm.Learning.Tests.Checkpoints;

public class PyTorchStateDictTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("pmcm-sd").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void SaveThenLoadRestoresEveryParameterAndBuffer()
    {
        manual_seed(1);
        var source = new PmcmNet(new PmcmNetOptions { NFilters = 2 });
        using (no_grad()) source.named_buffers().First(b => b.name.EndsWith("running_mean")).buffer.fill_(0.25f);
        var path = Path.Combine(dir, "model.pth");
        PyTorchStateDict.Save(source, path);
        manual_seed(2);
        var target = new PmcmNet(new PmcmNetOptions { NFilters = 2 });
        PyTorchStateDict.Load(target, path);
        var expected = source.state_dict();
        foreach (var (key, value) in target.state_dict())
            Assert.True(value.allclose(expected[key], 0, 0), key);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
    }

    [Fact]
    public void WrongFileNamesMissingAndUnexpectedKeys()
    {
        var path = Path.Combine(dir, "map.pth");
        PyTorchStateDict.Save(new MappingNet(2, 8), path);
        var error = Assert.Throws<PmcmException>(() => PyTorchStateDict.Load(new PmcmNet(new PmcmNetOptions { NFilters = 2 }), path));
        Assert.Contains("missing keys: encoder.block_one.conv.0.weight", error.Message);
        Assert.Contains("unexpected keys: map.0.bias, map.0.weight", error.Message);
    }

    [Fact]
    public void WrongShapesAreNamedWithBothShapes()
    {
        var path = Path.Combine(dir, "nf2.pth");
        PyTorchStateDict.Save(new PmcmNet(new PmcmNetOptions { NFilters = 2 }), path);
        var error = Assert.Throws<PmcmException>(() => PyTorchStateDict.Load(new PmcmNet(new PmcmNetOptions { NFilters = 4 }), path));
        Assert.Contains("wrong shapes: encoder.block_one.conv.0.weight (file (2, 1, 3, 3, 3), network (4, 1, 3, 3, 3))", error.Message);
    }

    [Fact]
    public void CorruptFileIsAClearError()
    {
        var path = Path.Combine(dir, "broken.pth");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        var error = Assert.Throws<PmcmException>(() => PyTorchStateDict.Load(new MappingNet(2, 8), path));
        Assert.Contains("not a readable PyTorch state_dict", error.Message);
    }
}
