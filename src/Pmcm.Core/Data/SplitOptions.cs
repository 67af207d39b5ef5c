namespace Pmcm.Core.Data;

/// <summary>
/// How the training list is divided.
/// <see cref="Labeled"/>: the first N cases of the training list are labeled (<c>--labeled N</c>).
/// <see cref="ValidationCount"/>: how many cases at the END of the training list are held out for
/// validation; null means <see cref="DefaultValidationCount"/>, 0 means no validation.
/// <see cref="ValidationList"/>: explicit validation cases instead (may name cases outside the training
/// list, even the test list — the reference's quirk of validating on the test set must be asked for).
/// <see cref="RequireUnlabeled"/>: semi-supervised methods need unlabeled cases; a supervised run may label them all.
/// </summary>
public sealed record SplitOptions(int Labeled, int? ValidationCount = null, IReadOnlyList<string>? ValidationList = null, bool RequireUnlabeled = true)
{
    /// <summary>Share of the training list held out when no count is given (at least <see cref="MinimumDefaultValidation"/> cases).</summary>
    public const double DefaultValidationFraction = 0.1;

    public const int MinimumDefaultValidation = 2;

    /// <summary>max(2, ⌊10 % of the list⌋): 8 of LA's 80 training cases, 6 of Pancreas-CT's 62.</summary>
    public static int DefaultValidationCount(int trainingCases) =>
        Math.Max(MinimumDefaultValidation, (int)(trainingCases * DefaultValidationFraction));
}
