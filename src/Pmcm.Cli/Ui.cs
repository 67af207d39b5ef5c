using Spectre.Console;

namespace Pmcm.Cli;

/// <summary>
/// Console output for people. A fresh Spectre console per call binds to the current Console.Out,
/// so in-process tests that redirect Console see the tables too.
/// </summary>
public static class Ui
{
    public static IAnsiConsole Out()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Interactive = InteractionSupport.Detect,
        });
        // Redirected output (files, CI logs) has no window width; 80 columns would wrap every table.
        if (Console.IsOutputRedirected) console.Profile.Width = 160;
        return console;
    }

    public static IAnsiConsole Err() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });

    /// <summary>JSON for scripts: one object, camel-case off so keys are exactly as named.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
