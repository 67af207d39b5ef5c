using Pmcm.Core.IO;

namespace Pmcm.Core.Data;

/// <summary>
/// The community's dataset layout, the one place its names live: LA keeps <c>&lt;case&gt;/mri_norm2.h5</c>,
/// Pancreas-CT <c>&lt;case&gt;_norm.h5</c>, each an <see cref="H5Case"/> (<c>image</c>, <c>label</c>, optional
/// <c>gt_dis</c>); <c>train.list</c> and <c>test.list</c> name the cases.
/// </summary>
public static class CommunityLayout
{
    public const string LeftAtriumFile = "mri_norm2.h5";
    public const string PancreasSuffix = "_norm.h5";
    public const string TrainList = "train.list";
    public const string TestList = "test.list";

    /// <summary>
    /// The cases of <paramref name="listPath"/> (default: <c>data/test.list</c>) with their files. A relative list
    /// path is looked up in the data folder first, then in the working directory. Without a list file every case
    /// found in the folder is used, in name order.
    /// </summary>
    public static IReadOnlyList<(string Name, string Path)> Cases(string dataFolder, string? listPath = null)
    {
        if (!Directory.Exists(dataFolder)) throw new PmcmException($"{dataFolder}: no such data folder");
        var defaultList = Path.Combine(dataFolder, TestList);
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

    /// <summary>Where a case is written in the LA layout.</summary>
    public static string LeftAtriumCase(string dataFolder, string name) => Path.Combine(dataFolder, name, LeftAtriumFile);

    /// <summary>The file of case <paramref name="name"/>, whichever of the two layouts it uses.</summary>
    public static string RequireCaseFile(string dataFolder, string name) => CaseFile(dataFolder, name)
        ?? throw new PmcmException($"case '{name}': neither {LeftAtriumCase(dataFolder, name)} nor {Path.Combine(dataFolder, name + PancreasSuffix)} exists");

    /// <summary>
    /// The file a case's signed distance map (<see cref="H5Case.SdfName"/>) is cached in when its HDF5 file has none,
    /// per grid: <c>&lt;case&gt;.gt_dis.h5</c>, or <c>&lt;case&gt;.x&lt;k&gt;.gt_dis.h5</c> when shrunk by k.
    /// </summary>
    public static string CachedSdfFile(string cacheFolder, string name, int downsample) =>
        Path.Combine(cacheFolder, downsample == 1 ? $"{name}.{H5Case.SdfName}.h5" : $"{name}.x{downsample}.{H5Case.SdfName}.h5");

    /// <summary>The file of case <paramref name="name"/>, or null when the folder has none.</summary>
    public static string? CaseFile(string dataFolder, string name) =>
        new[] { LeftAtriumCase(dataFolder, name), Path.Combine(dataFolder, name + PancreasSuffix) }.FirstOrDefault(File.Exists);

    private static List<(string Name, string Path)> Discover(string dataFolder)
    {
        var la = Directory.EnumerateDirectories(dataFolder)
            .Where(d => File.Exists(Path.Combine(d, LeftAtriumFile)))
            .Select(d => (Path.GetFileName(d), Path.Combine(d, LeftAtriumFile)));
        var pancreas = Directory.EnumerateFiles(dataFolder, "*" + PancreasSuffix)
            .Select(f => (Path.GetFileName(f)[..^PancreasSuffix.Length], f));
        var cases = la.Concat(pancreas).OrderBy(c => c.Item1, StringComparer.Ordinal).ToList();
        if (cases.Count == 0)
            throw new PmcmException($"{dataFolder}: no {TestList}, and no <case>/{LeftAtriumFile} or <case>{PancreasSuffix} files");
        return cases;
    }
}
