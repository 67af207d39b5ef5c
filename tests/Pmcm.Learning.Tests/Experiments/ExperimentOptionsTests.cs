using Pmcm.Core;
using Pmcm.Learning.Experiments;
using Pmcm.Learning.Training;

namespace Pmcm.Learning.Tests.Experiments;

public class ExperimentOptionsTests
{
    private static readonly TrainingOptions Template = new() { DataDirectory = "data", RunDirectory = "out" };

    [Fact]
    public void The_product_of_methods_and_labeled_counts_gives_all_only_to_the_supervised_baseline()
    {
        var grid = new ExperimentOptions(Template, [TrainingMethod.Supervised, TrainingMethod.Pmcm], LabeledCount.ParseList("8,all"), [1, 2]);
        Assert.Equal(
            ["supervised-labeled8-seed1", "supervised-labeled8-seed2", "supervised-labeledall-seed1", "supervised-labeledall-seed2",
             "pmcm-labeled8-seed1", "pmcm-labeled8-seed2"],
            grid.Cells().Select(c => c.Name));
    }

    [Fact]
    public void Listed_rows_give_exactly_those_cells_in_that_order()
    {
        // Issue 10's grid: not a product (16 labeled only for supervised and pmcm, the ablations with 8 only).
        var rows = ExperimentGridRow.ParseList("supervised:8, pmcm:8,supervised:all,pmcm-no-pml:8,pmcm:16");
        var grid = new ExperimentOptions(Template, rows, [3]);
        Assert.Equal(
            ["supervised-labeled8-seed3", "pmcm-labeled8-seed3", "supervised-labeledall-seed3", "pmcm-no-pml-labeled8-seed3", "pmcm-labeled16-seed3"],
            grid.Cells().Select(c => c.Name));
        Assert.Equal([TrainingMethod.Supervised, TrainingMethod.Pmcm, TrainingMethod.PmcmNoPml], grid.Methods);
        Assert.Equal("pmcm-no-pml:8", rows[3].ToString());
    }

    [Theory]
    [InlineData("pmcm:all", "supervised method only")]
    [InlineData("pmcm", "method:labeled")]
    [InlineData("pmcm:0", "positive number")]
    [InlineData("vnet:8", "vnet")]
    public void A_malformed_row_is_refused_saying_why(string text, string expected)
    {
        var e = Assert.Throws<PmcmException>(() => ExperimentGridRow.ParseList(text));
        Assert.Contains(expected, e.Message);
    }
}
