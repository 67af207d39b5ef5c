using Pmcm.Core.Synthetic;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Tests.Synthetic;

public sealed class SyntheticDatasetWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"pmcm-synth-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Writes_each_case_through_the_delegate_and_lists_train_then_test()
    {
        var options = new SyntheticOptions { Size = new Shape3(24, 24, 16), Cases = 5, Seed = 3 };
        var written = new List<(string Path, Shape3 Shape, float Sdf0)>();
        var progress = new List<int>();
        new SyntheticDatasetWriter(options, (path, image, label, sdf) => written.Add((path, image.Shape, sdf.Data[0])))
            .Write(_dir, new SynchronousProgress(progress.Add));

        Assert.Equal(
            Enumerable.Range(0, 5).Select(i => Path.Combine(_dir, $"synth_{i:D3}", "mri_norm2.h5")),
            written.Select(w => w.Path));
        Assert.All(written, w => Assert.Equal(options.Size, w.Shape));
        Assert.Equal([1, 2, 3, 4, 5], progress);
        Assert.Equal("synth_000\nsynth_001\nsynth_002\nsynth_003\n", File.ReadAllText(Path.Combine(_dir, "train.list")));
        Assert.Equal("synth_004\n", File.ReadAllText(Path.Combine(_dir, "test.list")));
    }

    [Theory]
    [InlineData(40, 0.2, 8)]
    [InlineData(5, 0.2, 1)]
    [InlineData(2, 0.01, 1)]
    [InlineData(1, 0.2, 0)]
    [InlineData(10, 0, 0)]
    public void Test_split_is_the_rounded_fraction_keeping_one_of_each(int cases, double fraction, int expected) =>
        Assert.Equal(expected, new SyntheticOptions { Cases = cases, TestFraction = fraction }.TestCases);

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
