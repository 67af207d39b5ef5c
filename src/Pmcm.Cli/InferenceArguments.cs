using System.CommandLine;
using Pmcm.Core;
using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;
using Pmcm.Learning;
using Pmcm.Learning.Inference;

namespace Pmcm.Cli;

/// <summary>
/// The options `pmcm eval` and `pmcm predict` share: which model, how to slide windows over a volume
/// and where to run. <see cref="Inferer"/> turns a parse result into a ready <see cref="SlidingWindowInferer"/>.
/// </summary>
public sealed class InferenceArguments
{
    public Option<string> Model { get; } = new("--model")
    {
        Description = "Training run folder (run.json + best.pth/last.pth) or a PyTorch state_dict .pth (the authors' or Pmcm's)",
        Required = true,
    };
    public Option<string?> Patch { get; } = new("--patch") { Description = "Window size X,Y,Z (default: the run's, or 112,112,80 for a bare checkpoint)" };
    public Option<string?> Stride { get; } = new("--stride") { Description = "Window stride X,Y,Z, at most the patch (default: the run's, or 18,18,4 for a bare checkpoint, capped at the patch)" };
    public Option<bool> Lcc { get; } = new("--lcc") { Description = "Keep only the largest connected component of the mask" };
    public Option<bool> Tta { get; } = new("--tta") { Description = "Test-time augmentation: average with the predictions of the windows mirrored along X, Y and Z" };
    public Option<bool> Gaussian { get; } = new("--gaussian") { Description = "Blend overlapping windows with Gaussian weights instead of a plain average" };
    public Option<bool> BothDecoders { get; } = new("--both-decoders") { Description = "Average both decoders' probabilities (default: decoder 1, as the paper)" };
    public Option<int> WindowsPerBatch { get; } = new("--windows-per-batch") { Description = "Windows sent to the network at once (more uses more memory; a small network runs faster with several)", DefaultValueFactory = _ => SlidingWindowOptions.DefaultWindowsPerBatch };
    public Option<string> Device { get; } = CommonOptions.Device();
    public Option<int?> Threads { get; } = CommonOptions.Threads();
    public Option<string> Precision { get; } = new("--precision") { Description = "Convolutions in fp32 or bf16 (needs AVX512_BF16 or AMX on the CPU)", DefaultValueFactory = _ => "fp32" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Patch, Stride, Lcc, Tta, Gaussian, BothDecoders, WindowsPerBatch, Device, Threads, Precision })
            command.Options.Add(option);
    }

    /// <summary>
    /// Loads the model and sets up the runtime (threads; freed native memory kept for the next window, see
    /// <see cref="NativeHeap"/>); the returned model tells where its weights came from.
    /// </summary>
    public (SlidingWindowInferer Inferer, LoadedModel Model) Inferer(ParseResult parse)
    {
        var windowsPerBatch = parse.GetValue(WindowsPerBatch);
        if (windowsPerBatch < 1) throw new PmcmException($"--windows-per-batch must be at least 1, got {windowsPerBatch}");
        var precision = Precisions.Parse(parse.GetValue(Precision)!);
        var device = TorchRuntime.ResolveDevice(parse.GetValue(Device)!);
        TorchRuntime.SetThreads(parse.GetValue(Threads));
        NativeHeap.RetainFreedMemory();
        var model = ModelSource.Load(parse.GetValue(Model)!, new ModelSourceOptions(ParseShape(parse.GetValue(Patch), Patch.Name), ParseShape(parse.GetValue(Stride), Stride.Name)));
        var window = new SlidingWindowOptions(model.Patch, model.Stride, windowsPerBatch,
            parse.GetValue(Gaussian) ? WindowWeighting.Gaussian : WindowWeighting.Uniform);
        var options = new InferenceOptions(window, parse.GetValue(Tta), parse.GetValue(BothDecoders), parse.GetValue(Lcc), precision);
        return (new SlidingWindowInferer(model.Net, device, options), model);
    }

    private static Shape3? ParseShape(string? text, string option) => text is null ? null : Shape3.Parse(text, option);
}
