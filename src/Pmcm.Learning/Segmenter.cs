using Pmcm.Core;
using Pmcm.Core.Inference;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;
using Pmcm.Learning.Inference;
using Pmcm.Learning.Training;

namespace Pmcm.Learning;

/// <summary>
/// The entry point for using Pmcm from C#: load a trained model, segment scans, and train new models.
/// <code>
/// using var segmenter = Segmenter.Load("runs/la");          // a run folder or a PyTorch .pth
/// var scan = VolumeIO.Read("patient.nii.gz");
/// var result = segmenter.Segment(scan);
/// result.Save("patient-mask.nii.gz");                       // same grid and geometry as the scan
/// Console.WriteLine($"{result.VolumeMillilitres:F1} mL");
/// </code>
/// A segmenter holds the network's weights; dispose it to free them. It is not thread-safe: use one per thread.
/// </summary>
public sealed class Segmenter : IDisposable
{
    private readonly LoadedModel _model;
    private readonly SlidingWindowInferer _inferer;

    private Segmenter(LoadedModel model, SlidingWindowInferer inferer)
    {
        _model = model;
        _inferer = inferer;
    }

    /// <summary>The weights file the model was loaded from (a run's <c>best.pth</c> or <c>last.pth</c>, or the given <c>.pth</c>).</summary>
    public string WeightsPath => _model.WeightsPath;

    /// <summary>The sliding window's size.</summary>
    public Shape3 Patch => _model.Patch;

    /// <summary>The sliding window's stride.</summary>
    public Shape3 Stride => _model.Stride;

    /// <summary>
    /// Loads a model from a training run folder (its <c>config.json</c> and <c>best.pth</c>, else <c>last.pth</c>) or from
    /// a PyTorch state_dict file (Pmcm's or the PMCM authors'), whose network kind and size are read off its weights.
    /// </summary>
    /// <exception cref="PmcmException">The path is neither, the file is not a readable checkpoint, or an option is invalid.</exception>
    public static Segmenter Load(string path, SegmenterOptions? options = null)
    {
        options ??= new SegmenterOptions();
        if (options.WindowsPerBatch < 1) throw new PmcmException($"windows per batch must be at least 1, got {options.WindowsPerBatch}");
        var device = TorchRuntime.ResolveDevice(options.Device);
        TorchRuntime.SetThreads(options.Threads);
        var model = ModelSource.Load(path, new ModelSourceOptions(options.Patch, options.Stride));
        try
        {
            var window = new SlidingWindowOptions(model.Patch, model.Stride, options.WindowsPerBatch,
                options.GaussianBlending ? WindowWeighting.Gaussian : WindowWeighting.Uniform);
            var inference = new InferenceOptions(window, options.FlipTestTimeAugmentation, LargestComponent: options.LargestComponent);
            return new Segmenter(model, new SlidingWindowInferer(model.Net, device, inference));
        }
        catch
        {
            model.Net.Dispose();
            throw;
        }
    }

    /// <summary>Segments a scan; the mask has the scan's shape and geometry.</summary>
    /// <param name="scan">An image prepared as the model's training data was (e.g. z-scored for LA, see <c>pmcm prepare</c>).</param>
    public Segmentation Segment(Volume scan)
    {
        var result = _inferer.Segment(scan, _model.Grid);
        var mask = new float[result.Mask.Length];
        for (var i = 0; i < mask.Length; i++) mask[i] = result.Mask[i];
        return new Segmentation(new Volume(scan.Shape, mask, scan.Geometry, VoxelType.UInt8), result.Probability);
    }

    /// <summary>Reads a scan (NIfTI, NRRD, or the <c>image</c> dataset of an HDF5 file) and segments it.</summary>
    public Segmentation Segment(string scanPath) => Segment(VolumeIO.Read(scanPath));

    /// <summary>
    /// Trains a model on a dataset in the community layout (<c>train.list</c>, <c>test.list</c>, one HDF5 file per case;
    /// <c>pmcm prepare</c> writes it) and returns where the run was written; <see cref="Load"/> that folder to use the model.
    /// Start from <see cref="TrainingOptions.For"/> and override fields with <c>with</c>.
    /// </summary>
    /// <param name="options">Data and run folders, method, sizes, iterations.</param>
    /// <param name="progress">Called after every iteration (on the training thread).</param>
    /// <param name="resume">Continue the run in <see cref="TrainingOptions.RunDirectory"/> from its last checkpoint.</param>
    /// <param name="cancellation">Stops between iterations; the last checkpoint stays.</param>
    /// <exception cref="PmcmException">Bad options or data.</exception>
    public static TrainingSummary Train(TrainingOptions options, Action<TrainingProgress>? progress = null, bool resume = false,
        CancellationToken cancellation = default) =>
        new PmcmTrainer(options) { Progress = progress }.Run(resume, cancellation);

    /// <summary>Frees the network's weights.</summary>
    public void Dispose() => _model.Net.Dispose();
}
