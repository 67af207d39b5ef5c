namespace Pmcm.Cli.Tests;

/// <summary>Runs `pmcm` in-process and captures what it prints. Tests using it must be in the "Console" collection.</summary>
public static class CliHarness
{
    private static readonly object Gate = new();

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        lock (Gate)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            var (out_, err) = (new StringWriter(), new StringWriter());
            Console.SetOut(out_);
            Console.SetError(err);
            try
            {
                var exit = PmcmCli.Run(args);
                return (exit, out_.ToString(), err.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}

[CollectionDefinition("Console", DisableParallelization = true)]
public class ConsoleCollection;
