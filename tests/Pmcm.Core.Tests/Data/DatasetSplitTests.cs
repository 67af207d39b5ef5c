using Pmcm.Core.Data;

namespace Pmcm.Core.Tests.Data;

public class DatasetSplitTests
{
    private static readonly string[] Twenty = Enumerable.Range(0, 20).Select(i => $"case{i:00}").ToArray();

    [Fact]
    public void Labeled_first_validation_last_unlabeled_between()
    {
        var split = DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 4));
        Assert.Equal(Twenty[..4], split.Labeled);
        Assert.Equal(Twenty[4..18], split.Unlabeled);
        Assert.Equal(Twenty[18..], split.Validation);
        Assert.Equal(Twenty[..18], split.TrainingCases);
    }

    [Theory]
    [InlineData(80, 8)]
    [InlineData(62, 6)]
    [InlineData(10, 2)]
    [InlineData(3, 2)]
    public void Default_validation_count_is_ten_percent_but_at_least_two(int cases, int expected)
    {
        Assert.Equal(expected, SplitOptions.DefaultValidationCount(cases));
    }

    [Fact]
    public void Validation_can_be_switched_off()
    {
        var split = DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 4, ValidationCount: 0));
        Assert.Empty(split.Validation);
        Assert.Equal(16, split.Unlabeled.Count);
    }

    [Fact]
    public void Named_validation_cases_leave_the_unlabeled_pool()
    {
        var split = DatasetSplit.Create(Twenty, ["x", "y"], new SplitOptions(Labeled: 4, ValidationList: ["case10", "elsewhere"]));
        Assert.Equal(["case10", "elsewhere"], split.Validation);
        Assert.Equal(15, split.Unlabeled.Count);
        Assert.DoesNotContain("case10", split.Unlabeled);
        Assert.Equal("case19", split.Unlabeled[^1]);
    }

    [Fact]
    public void Validating_on_the_test_list_needs_naming_it()
    {
        string[] test = ["case19", "t1"];
        var ex = Assert.Throws<PmcmException>(() => DatasetSplit.Create(Twenty, test, new SplitOptions(Labeled: 4)));
        Assert.Contains("case19", ex.Message);
        var named = DatasetSplit.Create(Twenty, test, new SplitOptions(Labeled: 4, ValidationList: test));
        Assert.Equal(test, named.Validation);
    }

    [Fact]
    public void Labeled_may_use_all_but_one_remaining_case()
    {
        // 20 cases − 2 validation = 18: 17 labeled leave exactly one unlabeled case.
        var split = DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 17));
        Assert.Equal(["case17"], split.Unlabeled);
    }

    [Fact]
    public void Bad_requests_are_refused_with_a_reason()
    {
        Assert.Contains("no unlabeled", Assert.Throws<PmcmException>(() => DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 18))).Message);
        Assert.Throws<PmcmException>(() => DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 0)));
        Assert.Throws<PmcmException>(() => DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 2, ValidationCount: 20)));
        Assert.Throws<PmcmException>(() => DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 2, ValidationCount: -1)));
        Assert.Throws<PmcmException>(() => DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 2, ValidationCount: 2, ValidationList: ["case19"])));
        Assert.Contains("twice", Assert.Throws<PmcmException>(() => DatasetSplit.Create([.. Twenty, "case03"], null, new SplitOptions(Labeled: 2))).Message);
        Assert.Throws<PmcmException>(() => DatasetSplit.Create([.. Twenty, " "], null, new SplitOptions(Labeled: 2)));
        Assert.Contains("labeled", Assert.Throws<PmcmException>(() => DatasetSplit.Create(Twenty, null, new SplitOptions(Labeled: 4, ValidationList: ["case01"]))).Message);
        Assert.Contains("test list", Assert.Throws<PmcmException>(() => DatasetSplit.Create(Twenty, ["case05"], new SplitOptions(Labeled: 2))).Message);
    }

    [Fact]
    public void Case_lists_ignore_blank_lines_and_line_endings()
    {
        Assert.Equal(["a", "b"], CaseList.Parse(["a\r", "", "  b  ", "   "]));
    }
}
