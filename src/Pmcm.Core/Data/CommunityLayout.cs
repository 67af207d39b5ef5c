namespace Pmcm.Core.Data;

/// <summary>
/// Finds cases in the community's data folders: LA keeps <c>&lt;case&gt;/mri_norm2.h5</c>, Pancreas-CT
/// <c>&lt;case&gt;_norm.h5</c>, and a list file (<c>test.list</c>, <c>train.list</c>) names the cases.
/// </summary>
public static class CommunityLayout
{
    public const string LeftAtriumFile = "mri_norm2.h5";
    public const string PancreasSuffix = "_norm.h5";
    public const string DefaultTestList = "test.list";

    /// <summary>
    /// The cases of <paramref name="listPath"/> (default: <c>data/test.list</c>) with their files. A relative list
    /// path is looked up in the data folder first, then in the working directory. Without a list file every case
    /// found in the folder is used, in name order.
    /// </summary>
    public static IReadOnlyList<(string Name, string Path)> Cases(string dataFolder, string? listPath = null)
    {
        if (!Directory.Exists(dataFolder)) throw new PmcmException($"{dataFolder}: no such data folder");
        var defaultList = Path.Combine(dataFolder, DefaultTestList);
        if (listPath is null && !File.Exists(defaultList)) return Discover(dataFolder);
        var list = listPath is null ? defaultList : ListFile(dataFolder, listPath);
        var names = CaseList.Read(list);
        if (names.Count == 0) throw new PmcmException($"{list}: the case list is empty");
        return names.Select(n => (n, CaseFile(dataFolder, n) ?? throw new PmcmException(
            $"{dataFolder}: case '{n}' from {list} has neither {Path.Combine(n, LeftAtriumFile)} nor {n}{PancreasSuffix}"))).ToList();
    }

    private static string ListFile(string dataFolder, string listPath)
    {
        var inData = Path.Combine(dataFolder, listPath);
        if (File.Exists(inData) || Path.IsPathRooted(listPath)) return inData;
        if (File.Exists(listPath)) return listPath;
        throw new PmcmException($"{listPath}: no such case list in {dataFolder} or in the working directory");
    }

    /// <summary>The file of case <paramref name="name"/>, or null when the folder has none.</summary>
    public static string? CaseFile(string dataFolder, string name) =>
        new[] { Path.Combine(dataFolder, name, LeftAtriumFile), Path.Combine(dataFolder, name + PancreasSuffix) }.FirstOrDefault(File.Exists);

    private static List<(string Name, string Path)> Discover(string dataFolder)
    {
        var la = Directory.EnumerateDirectories(dataFolder)
            .Where(d => File.Exists(Path.Combine(d, LeftAtriumFile)))
            .Select(d => (Path.GetFileName(d), Path.Combine(d, LeftAtriumFile)));
        var pancreas = Directory.EnumerateFiles(dataFolder, "*" + PancreasSuffix)
            .Select(f => (Path.GetFileName(f)[..^PancreasSuffix.Length], f));
        var cases = la.Concat(pancreas).OrderBy(c => c.Item1, StringComparer.Ordinal).ToList();
        if (cases.Count == 0)
            throw new PmcmException($"{dataFolder}: no {DefaultTestList}, and no <case>/{LeftAtriumFile} or <case>{PancreasSuffix} files");
        return cases;
    }
}
