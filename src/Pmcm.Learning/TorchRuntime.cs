using Pmcm.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning;

/// <summary>Device and thread settings for TorchSharp, chosen explicitly rather than left to defaults.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// "cpu", "cuda" or "cuda:N". CUDA needs a build with the CUDA backend (<c>-p:PmcmBackend=cuda</c>);
    /// asking for it otherwise is a clear error, never a silent fall-back to the CPU.
    /// </summary>
    public static Device ResolveDevice(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        if (lower == "cpu") return CPU;
        if (lower == "cuda" || lower.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new PmcmException($"device '{name}' requested but CUDA is not available (build with -p:PmcmBackend=cuda on a machine with an NVIDIA GPU)");
            return device(lower);
        }
        throw new PmcmException($"unknown device '{name}': use cpu, cuda or cuda:N");
    }

    /// <summary>Sets libtorch's intra-op threads; null or 0 means every core.</summary>
    public static void SetThreads(int? threads)
    {
        var n = threads is null or <= 0 ? Environment.ProcessorCount : threads.Value;
        set_num_threads(n);
    }
}
