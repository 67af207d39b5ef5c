namespace Pmcm.Core.Preparation;

/// <summary>What <see cref="DatasetPreparer"/> did: the cases written, those that failed, and the lists.</summary>
public sealed record PreparationReport(
    string OutputDirectory,
    IReadOnlyList<PreparedFile> Prepared,
    IReadOnlyList<CaseFailure> Failures,
    PreparationSplit Split);
