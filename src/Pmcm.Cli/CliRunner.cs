using System.CommandLine;
using Pmcm.Core;

namespace Pmcm.Cli;

/// <summary>
/// Runs the parsed command and turns user errors into one line on stderr and a non-zero exit:
/// exit 1 for bad input (<see cref="PmcmException"/>, I/O errors), 2 for usage errors, 3 for bugs.
/// </summary>
public static class CliRunner
{
    public static int Run(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        try
        {
            return parse.Invoke();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>Wraps a command body so its failures are reported the same way everywhere.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    private static int Report(Exception e)
    {
        switch (e)
        {
            case PmcmException or IOException or UnauthorizedAccessException or InvalidDataException:
                Console.Error.WriteLine($"error: {OneLine(e.Message)}");
                return 1;
            default:
                Console.Error.WriteLine($"internal error ({e.GetType().Name}): {OneLine(e.Message)}");
                if (Environment.GetEnvironmentVariable("PMCM_DEBUG") == "1") Console.Error.WriteLine(e);
                return 3;
        }
    }

    /// <summary>Longest error line printed; messages quote file content, which may be anything.</summary>
    private const int MaxMessageLength = 400;

    private static string OneLine(string s) => Printable.Clip(s.ReplaceLineEndings(" ").Trim(), MaxMessageLength);
}
