using System.Diagnostics;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Tests.Inference;

namespace Pmcm.Learning.Tests.Examples;

/// <summary>
/// Packs Pmcm.Core and Pmcm.Learning (already built by the test run) into a fresh folder under a fresh version,
/// then builds and runs <c>examples/SegmentScan</c> against those packages, as an outside project would.
/// </summary>
[Collection("Torch generator")]
public class ExampleProgramTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void Example_program_segments_a_scan_through_the_locally_packed_packages()
    {
        var root = Repository.Root();
        // The test assembly's own configuration is the one whose library builds exist.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        // A version never packed before, so NuGet's package cache cannot serve an older build of it.
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        using var dir = new TempDir();
        var feed = dir.File("feed");
        try
        {
            foreach (var project in new[] { "src/Pmcm.Core/Pmcm.Core.csproj", "src/Pmcm.Learning/Pmcm.Learning.csproj" })
            {
                var (packExit, packOut) = Dotnet(root, "pack", project, "-c", configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}");
                Assert.True(packExit == 0, packOut);
            }
            Assert.True(File.Exists(Path.Combine(feed, $"Pmcm.Learning.{version}.nupkg")));

            // A model whose every voxel is foreground, and a scan of 20×18×16 voxels of 0.5 × 0.75 × 2 mm.
            var model = dir.File("model.pth");
            using (var net = TinyNets.Constant(4)) PyTorchStateDict.Save(net, model);
            var geometry = new Geometry([0.5, 0.75, 2], [10, -20, 30], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
            var scan = dir.File("scan.nii.gz");
            var intensities = Enumerable.Range(0, 20 * 18 * 16).Select(i => (float)(i % 97)).ToArray();
            VolumeIO.Write(scan, new Volume(new Shape3(20, 18, 16), intensities, geometry));
            var mask = dir.File("mask.nii.gz");

            var (exit, output) = Dotnet(root, "run", "--project", "examples/SegmentScan", "-c", "Release",
                $"-p:PmcmPackageFolder={feed}", $"-p:PmcmVersion={version}", "--", model, scan, mask, mask);

            Assert.True(exit == 0, output);
            // 5760 voxels × 0.75 mm³ = 4320 mm³ = 4.32 mL; the mask scored against itself has Dice 1.
            Assert.Contains("volume: 4.320 mL (5760 voxels)", output);
            Assert.Contains("Dice 1.0000", output);
            var written = VolumeIO.Read(mask);
            Assert.Equal(geometry.Spacing, written.Geometry.Spacing);
            Assert.Equal(geometry.Origin, written.Geometry.Origin);
        }
        finally
        {
            // The packages were extracted into NuGet's global cache under the one-off version: remove them again.
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var id in new[] { "pmcm.core", "pmcm.learning" })
            {
                var folder = Path.Combine(cache, id, version);
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static (int Exit, string Output) Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The test host's MSBuild settings belong to the outer build; the inner one must find its own.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} took longer than {Timeout}");
        }
        return (process.ExitCode, $"dotnet {string.Join(' ', args)}\n{stdout.Result}\n{stderr.Result}");
    }
}
