namespace Pmcm.Core.Data;

/// <summary>
/// A case list file (<c>train.list</c>, <c>test.list</c>): one case name per line. Surrounding
/// whitespace and blank lines are ignored, so Windows line endings and a trailing newline are harmless.
/// </summary>
public static class CaseList
{
    public static IReadOnlyList<string> Read(string path)
    {
        if (!File.Exists(path)) throw new PmcmException($"{path}: case list not found");
        return Parse(File.ReadAllLines(path));
    }

    public static IReadOnlyList<string> Parse(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
