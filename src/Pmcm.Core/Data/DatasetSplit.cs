using System.Text.Json.Serialization;

namespace Pmcm.Core.Data;

/// <summary>
/// Labeled, unlabeled and validation cases taken from a training list. Labeled = the first N cases;
/// validation = the last few cases (or an explicit list); unlabeled = everything else, in list order.
/// The test list only serves to refuse overlaps: it is never drawn from.
/// </summary>
public sealed record DatasetSplit(IReadOnlyList<string> Labeled, IReadOnlyList<string> Unlabeled, IReadOnlyList<string> Validation)
{
    /// <summary>Labeled then unlabeled: the index space of <see cref="TwoStreamBatchSampler"/>.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> TrainingCases => [.. Labeled, .. Unlabeled];

    /// <param name="trainList">The training list, labeled cases first (as <c>train.list</c>).</param>
    /// <param name="testList">The test list, if known: no training case may appear in it.</param>
    public static DatasetSplit Create(IReadOnlyList<string> trainList, IReadOnlyList<string>? testList, SplitOptions options)
    {
        CheckNames(trainList, "training list");
        if (testList is not null) CheckNames(testList, "test list");
        if (options.ValidationList is not null) CheckNames(options.ValidationList, "validation list");
        if (options.ValidationList is not null && options.ValidationCount is not null)
            throw new PmcmException("give either a validation count or a validation list, not both");
        if (options.Labeled <= 0) throw new PmcmException($"--labeled {options.Labeled}: at least one labeled case is needed");

        IReadOnlyList<string> validation;
        List<string> pool;
        if (options.ValidationList is { } named)
        {
            validation = named;
            var held = new HashSet<string>(named, StringComparer.Ordinal);
            var labeledHeld = trainList.Take(options.Labeled).FirstOrDefault(held.Contains);
            if (labeledHeld is not null)
                throw new PmcmException($"validation case '{labeledHeld}' is one of the first {options.Labeled} (labeled) training cases");
            pool = trainList.Where(c => !held.Contains(c)).ToList();
        }
        else
        {
            var count = options.ValidationCount ?? SplitOptions.DefaultValidationCount(trainList.Count);
            if (count < 0) throw new PmcmException($"validation count {count} is negative");
            if (count >= trainList.Count)
                throw new PmcmException($"validation count {count} leaves no training cases (the training list has {trainList.Count})");
            validation = trainList.Skip(trainList.Count - count).ToList();
            pool = trainList.Take(trainList.Count - count).ToList();
        }

        if (options.Labeled > pool.Count || (options.Labeled == pool.Count && options.RequireUnlabeled))
            throw new PmcmException(
                options.RequireUnlabeled ? $"--labeled {options.Labeled} leaves no unlabeled case: only {pool.Count} training cases remain after {validation.Count} validation cases" : $"--labeled {options.Labeled} is too many: only {pool.Count} training cases remain after {validation.Count} validation cases");

        var split = new DatasetSplit(pool.Take(options.Labeled).ToList(), pool.Skip(options.Labeled).ToList(), validation);
        if (testList is not null) CheckDisjointFromTest(split, testList, validationNamed: options.ValidationList is not null);
        return split;
    }

    private static void CheckDisjointFromTest(DatasetSplit split, IReadOnlyList<string> testList, bool validationNamed)
    {
        var test = new HashSet<string>(testList, StringComparer.Ordinal);
        var leaked = split.TrainingCases.FirstOrDefault(test.Contains);
        if (leaked is not null) throw new PmcmException($"training case '{leaked}' is also in the test list");
        // Validating on test cases is only acceptable when the user named those cases on purpose.
        var peeked = validationNamed ? null : split.Validation.FirstOrDefault(test.Contains);
        if (peeked is not null) throw new PmcmException($"validation case '{peeked}' is also in the test list");
    }

    private static void CheckNames(IReadOnlyList<string> names, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new PmcmException($"{what}: empty case name");
            if (!seen.Add(name)) throw new PmcmException($"{what}: case '{name}' appears twice");
        }
    }
}
