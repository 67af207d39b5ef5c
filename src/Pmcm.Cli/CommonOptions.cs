using System.CommandLine;

namespace Pmcm.Cli;

/// <summary>
/// The options several commands share, declared once so that each has one name and one help text everywhere.
/// Each call makes a fresh option (an option belongs to the command it is added to).
/// </summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object" };

    public static Option<int?> Threads() => new("--threads") { Description = "CPU threads for libtorch (default: every core)" };

    public static Option<string> Device() => new("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };

    /// <summary>Where a command writes (a file or a folder, as <paramref name="description"/> says).</summary>
    public static Option<string> Out(string description) => new("--out") { Description = description, Required = true };

    /// <summary>An <c>--out</c> that may be left out, naming <paramref name="fallback"/> then.</summary>
    public static Option<string> Out(string description, string fallback) => new("--out") { Description = description, DefaultValueFactory = _ => fallback };
}
