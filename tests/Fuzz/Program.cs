using System.Globalization;
using Pmcm.Fuzz;

// Pmcm.Fuzz TARGET [--seconds N] [--executions N] [--seed N] [--findings DIR]: fuzzes one reader and prints one JSON line.
// Pmcm.Fuzz TARGET --replay FILE: runs one saved input and prints its outcome with the stack trace.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine($"usage: Pmcm.Fuzz TARGET [--seconds N] [--executions N] [--seed N] [--findings DIR] | TARGET --replay FILE\ntargets: {string.Join(", ", Targets.Names)}");
    return 2;
}
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var seconds = double.Parse(Option("--seconds", "10"), CultureInfo.InvariantCulture);
var executions = long.Parse(Option("--executions", long.MaxValue.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var seed = int.Parse(Option("--seed", "1"), CultureInfo.InvariantCulture);
var findings = Option("--findings", Path.Combine(Environment.CurrentDirectory, "fuzz-findings"));
TorchSharp.torch.set_num_threads(1);
var work = Directory.CreateTempSubdirectory("pmcm-fuzz-").FullName;
try
{
    var target = Targets.Create(args[0], work);
    if (Option("--replay", "") is { Length: > 0 } replay)
    {
        try
        {
            target.Run(File.ReadAllBytes(replay));
            Console.WriteLine("value");
        }
        catch (Exception e)
        {
            Console.WriteLine(e);
        }
        return 0;
    }
    var result = new Campaign(target, seed, findings).Run(TimeSpan.FromSeconds(seconds), executions);
    Console.WriteLine(result.ToJson());
    return result.Findings == 0 ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
