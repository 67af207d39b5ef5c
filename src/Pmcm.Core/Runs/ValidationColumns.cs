namespace Pmcm.Core.Runs;

/// <summary>
/// The metric columns of a run's validation.csv (beside <see cref="RunTime.Column"/>): the mean over the validation
/// cases of each metric, as training writes them and the experiment report reads them.
/// </summary>
public static class ValidationColumns
{
    public const string Dice = "dice", Jaccard = "jaccard", Hd95 = "hd95", Asd = "asd";
}
