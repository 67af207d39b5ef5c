using Pmcm.Core;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Checkpoints;
using Pmcm.Learning.Networks;
using Pmcm.Learning.Training;
using static TorchSharp.torch;

namespace Pmcm.Learning.Inference;

/// <summary>
/// Loads a network for inference from either a training run folder (its <see cref="RunRecord"/> plus best.pth, or
/// last.pth when there is no best) or a PyTorch state_dict file. A weights file inside a run folder (the run's
/// best.pth or last.pth) is that run's, loaded with its record: scoring it on another grid or window than it
/// trained with would be silently wrong. A bare one — the authors' or Pmcm's, copied out — has its network kind
/// and size read off the weights' keys and shapes (PMCM has SDF heads, MC-Net a second decoder without them,
/// the supervised V-Net no second decoder).
/// </summary>
public static class ModelSource
{
    // Weights whose shapes reveal the network size: first convolution (n_filters out) and decoder 1's head (classes out).
    private const string FirstConvolution = "encoder.block_one.conv.0.weight";
    private const string SegmentationHead = "decoder1.out_conv.weight";

    public static LoadedModel Load(string path, ModelSourceOptions? options = null)
    {
        options ??= new ModelSourceOptions();
        if (Directory.Exists(path)) return FromRun(path, options);
        if (!File.Exists(path)) throw new PmcmException($"{path}: no such run folder or checkpoint file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return new RunFiles(folder).HasRecord ? FromRun(folder, options, path) : FromCheckpoint(path, options);
    }

    private static LoadedModel FromRun(string folder, ModelSourceOptions options, string? weightsFile = null)
    {
        var record = RunRecord.ReadFolder(folder);
        var files = new RunFiles(folder);
        var weights = weightsFile ?? new[] { files.BestWeights, files.LastWeights }.FirstOrDefault(File.Exists)
                      ?? throw new PmcmException($"{folder}: run folder has neither {Path.GetFileName(files.BestWeights)} nor {Path.GetFileName(files.LastWeights)}");
        var net = Build(TrainingMethods.Parse(record.Method), record.NFilters, record.Classes);
        try
        {
            PyTorchStateDict.Load(net, weights);
        }
        catch (PmcmException e) when (weightsFile is not null)
        {
            // The way out goes first: the file's own error (a long key list) can be long enough to be clipped.
            throw new PmcmException($"{weights} lies in the run folder {folder}, so it is loaded as that run's network " +
                                    $"({record.Method}, {record.NFilters} filters; copy it out of the folder to load it as a bare " +
                                    $"state_dict): {e.Message}");
        }
        var (patch, stride) = Window(options, record.Patch, record.Stride);
        return new LoadedModel(net, patch, stride, weights, folder, record);
    }

    private static LoadedModel FromCheckpoint(string file, ModelSourceOptions options)
    {
        var tensors = PyTorchStateDict.Read(file);
        try
        {
            var method = tensors.ContainsKey("decoder1.bout_conv.weight") ? TrainingMethod.Pmcm
                : tensors.Keys.Any(k => k.StartsWith("decoder2.", StringComparison.Ordinal)) ? TrainingMethod.McNet
                : TrainingMethod.Supervised;
            var net = Build(method, OutChannels(file, tensors, FirstConvolution), OutChannels(file, tensors, SegmentationHead));
            PyTorchStateDict.Load(net, tensors, file);
            var (patch, stride) = Window(options, ModelSourceOptions.Fallback.Patch, ModelSourceOptions.Fallback.Stride);
            return new LoadedModel(net, patch, stride, file, null);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The window: a given patch or stride wins; a default stride never exceeds the patch (so a small patch keeps
    /// every voxel covered), and a given one that does is refused.
    /// </summary>
    private static (Shape3 Patch, Shape3 Stride) Window(ModelSourceOptions options, Shape3 patch, Shape3 stride)
    {
        var p = options.Patch ?? patch;
        if (options.Stride is not { } given) return (p, stride.AtMost(p));
        if (given.Exceeds(p)) throw new PmcmException($"stride {given} exceeds the patch {p}: voxels between windows would get no prediction");
        return (p, given);
    }

    private static int OutChannels(string file, Dictionary<string, Tensor> tensors, string key)
    {
        if (!tensors.TryGetValue(key, out var weight))
            throw new PmcmException($"{file}: no '{key}' — not a PMCM (mine3d_v1) state_dict");
        if (weight.ndim != 5) throw new PmcmException($"{file}: '{key}' has {weight.ndim} dimensions, a 3-D convolution weight has 5");
        return (int)weight.shape[0];
    }

    // Dropout is off in evaluation anyway; 0 keeps the module from ever drawing random masks.
    private static SegmentationNet Build(TrainingMethod method, int nFilters, int classes) =>
        TrainingMethods.CreateNetwork(method, new NetworkOptions { NFilters = nFilters, Classes = classes, DropoutRate = 0 });
}
