using Pmcm.Core.Data;
using Pmcm.Core.IO;

namespace Pmcm.Core.Preparation;

/// <summary>
/// Prepares every case of a raw dataset into the community layout under one output folder, then writes
/// <c>train.list</c> and <c>test.list</c>. A case that fails (unreadable file, missing or mismatched label,
/// empty label) is reported with one line and skipped; the others are still prepared. Every file is written
/// atomically and the lists last, so an interrupted run never leaves a list naming a half-written case.
/// </summary>
public sealed class DatasetPreparer(string outputDirectory, PreparedLayout layout)
{
    public const string TrainListName = "train.list";
    public const string TestListName = "test.list";

    /// <summary>Hears each case written.</summary>
    public Action<PreparedFile>? Prepared { get; init; }

    /// <summary>Hears each case skipped, with its reason.</summary>
    public Action<CaseFailure>? Failed { get; init; }

    /// <summary>Hears the number of cases done (written or failed).</summary>
    public IProgress<int>? Progress { get; init; }

    /// <param name="cases">The raw cases, in input order.</param>
    /// <param name="prepare">Reads and prepares one case; a <see cref="PmcmException"/> or I/O error fails that case only.</param>
    /// <param name="split">How the prepared cases are divided into train.list and test.list.</param>
    public PreparationReport Run(IReadOnlyList<RawCase> cases, Func<RawCase, PreparedCase> prepare, PreparationSplitOptions split)
    {
        CheckTestList(cases, split.TestList);
        if (File.Exists(outputDirectory)) throw new PmcmException($"{outputDirectory}: exists and is a file, not a folder");
        var prepared = new List<PreparedFile>();
        var failures = new List<CaseFailure>();
        foreach (var raw in cases)
        {
            try
            {
                if (raw.LabelPath is null) throw new PmcmException("no label file");
                var result = prepare(raw);
                var path = CasePath(raw.Name);
                result.Data.Write(path);
                var file = new PreparedFile(raw.Name, path, result.RawShape, result.ResampledShape, result.Crop, result.Shape);
                prepared.Add(file);
                Prepared?.Invoke(file);
            }
            catch (Exception e) when (e is PmcmException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                var failure = new CaseFailure(raw.Name, e.Message.ReplaceLineEndings(" ").Trim());
                failures.Add(failure);
                Failed?.Invoke(failure);
            }
            Progress?.Report(prepared.Count + failures.Count);
        }
        if (prepared.Count == 0) throw new PmcmException($"none of the {cases.Count} case(s) could be prepared");
        var lists = PreparationSplit.Create(prepared.Select(p => p.Name).ToList(), split);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, TrainListName), Lines(lists.Train));
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, TestListName), Lines(lists.Test));
        return new PreparationReport(Path.GetFullPath(outputDirectory), prepared, failures, lists);
    }

    /// <summary>Where the community layout keeps case <paramref name="name"/>.</summary>
    public string CasePath(string name) => layout switch
    {
        PreparedLayout.LeftAtrium => Path.Combine(outputDirectory, name, CommunityLayout.LeftAtriumFile),
        _ => Path.Combine(outputDirectory, name + CommunityLayout.PancreasSuffix),
    };

    // A test list naming a case the input does not have is a mistake worth stopping for before hours of work.
    private static void CheckTestList(IReadOnlyList<RawCase> cases, IReadOnlyList<string>? testList)
    {
        if (testList is null) return;
        if (testList.Count == 0) throw new PmcmException("the test list is empty");
        var names = cases.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = testList.Where(n => !names.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new PmcmException($"the test list names {unknown.Count} case(s) not in the input: {string.Join(", ", unknown.Take(5))}{(unknown.Count > 5 ? ", …" : "")}");
    }

    private static string Lines(IEnumerable<string> names) => string.Concat(names.Select(n => n + "\n"));
}
