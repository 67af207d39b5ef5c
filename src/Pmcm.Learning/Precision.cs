using Pmcm.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pmcm.Learning;

/// <summary>
/// The number format the network's convolutions compute in (`--precision`). Weights, their gradients, the SGD
/// state, BatchNorm statistics, the decoder outputs and so every loss stay float32 in both.
/// </summary>
public enum Precision
{
    /// <summary>Everything in float32 (the default, and what the reference does).</summary>
    Fp32,
    /// <summary>Convolutions and the activations between them in bfloat16; float32 master weights.</summary>
    Bf16,
}

public static class Precisions
{
    private static readonly Dictionary<string, Precision> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fp32"] = Precision.Fp32,
        ["bf16"] = Precision.Bf16,
    };

    public static IReadOnlyCollection<string> Allowed => Names.Keys;

    public static Precision Parse(string name) =>
        Names.TryGetValue(name.Trim(), out var precision)
            ? precision
            : throw new PmcmException($"unknown precision '{name}': use {string.Join(" or ", Names.Keys)}");

    /// <summary>A comma-separated list such as "fp32,bf16", for benchmarks that compare precisions in one run.</summary>
    public static Precision[] ParseList(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new PmcmException($"precision list '{text}' is empty: use fp32, bf16 or fp32,bf16");
        return parts.Select(Parse).Distinct().ToArray();
    }

    public static string Name(Precision precision) => Names.First(kv => kv.Value == precision).Key;

    /// <summary>
    /// Refuses bf16 where it would not pay: on the CPU only a processor with native bf16 dot products
    /// (AVX512_BF16 or AMX-BF16) runs bf16 convolutions faster than float32; elsewhere libtorch emulates them.
    /// CUDA devices are left to libtorch, which runs bf16 natively from compute capability 8.0.
    /// </summary>
    public static void RequireSupported(Precision precision, Device device, string? cpuFlags = null)
    {
        if (precision == Precision.Fp32 || device.type != DeviceType.CPU) return;
        cpuFlags ??= CpuFlags();
        var flags = cpuFlags.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (!flags.Contains("avx512_bf16") && !flags.Contains("amx_bf16"))
            throw new PmcmException("--precision bf16 needs a CPU with native bf16 dot products (AVX512_BF16 or AMX-BF16), and this one has neither; use --precision fp32");
    }

    // The "flags" line of /proc/cpuinfo (Linux x86); empty where there is none, which then counts as no bf16.
    private static string CpuFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return "";
        var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
        return line is null ? "" : line[(line.IndexOf(':') + 1)..];
    }
}
