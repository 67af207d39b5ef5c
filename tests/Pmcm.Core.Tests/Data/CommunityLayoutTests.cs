using Pmcm.Core.Data;

namespace Pmcm.Core.Tests.Data;

public sealed class CommunityLayoutTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Dataset()
    {
        var data = Directory.CreateDirectory(_temp.File("data")).FullName;
        foreach (var name in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(data, name));
            File.WriteAllText(Path.Combine(data, name, CommunityLayout.LeftAtriumFile), "");
        }
        File.WriteAllLines(Path.Combine(data, "test.list"), ["b"]);
        File.WriteAllLines(Path.Combine(data, "both.list"), ["a", "b"]);
        return data;
    }

    [Fact]
    public void A_relative_list_is_found_in_the_data_folder()
    {
        var data = Dataset();
        Assert.Equal(["a", "b"], CommunityLayout.Cases(data, "both.list").Select(c => c.Name));
        Assert.Equal(["b"], CommunityLayout.Cases(data).Select(c => c.Name));
        Assert.Equal(Path.Combine(data, "a", CommunityLayout.LeftAtriumFile), CommunityLayout.Cases(data, "both.list")[0].Path);
    }

    [Fact]
    public void An_absolute_list_is_used_as_given_and_a_missing_one_is_named()
    {
        var data = Dataset();
        var elsewhere = _temp.File("mine.list");
        File.WriteAllLines(elsewhere, ["a"]);
        Assert.Equal(["a"], CommunityLayout.Cases(data, elsewhere).Select(c => c.Name));
        var e = Assert.Throws<PmcmException>(() => CommunityLayout.Cases(data, "nope.list"));
        Assert.Contains("nope.list", e.Message);
    }
}
