using Pmcm.Core.IO;
using Pmcm.Core.Morphology;
using Pmcm.Core.Runs;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Data;

/// <summary>
/// A dataset in the <see cref="CommunityLayout"/>: <c>train.list</c> (+ optional <c>test.list</c>) and one HDF5
/// file per case. Signed distance maps missing from a labeled case's file are computed once and cached under
/// the run folder, never written into the user's data.
/// </summary>
public sealed class TrainingData
{
    private readonly string directory;
    private readonly string cacheDirectory;
    private readonly TrainingGrid grid;

    private TrainingData(string directory, string cacheDirectory, TrainingGrid grid, IReadOnlyList<string> trainList, IReadOnlyList<string>? testList)
    {
        this.directory = directory;
        this.cacheDirectory = cacheDirectory;
        this.grid = grid;
        TrainList = trainList;
        TestList = testList;
    }

    public IReadOnlyList<string> TrainList { get; }
    public IReadOnlyList<string>? TestList { get; }

    /// <param name="grid">How a case is brought onto the run's grid when loaded (shrunk, standardised); null = as stored.</param>
    public static TrainingData Open(string directory, string runDirectory, TrainingGrid? grid = null)
    {
        if (!Directory.Exists(directory)) throw new PmcmException($"{directory}: data folder not found");
        var train = CaseList.Read(Path.Combine(directory, CommunityLayout.TrainList));
        var testPath = Path.Combine(directory, CommunityLayout.TestList);
        var test = File.Exists(testPath) ? CaseList.Read(testPath) : null;
        var data = new TrainingData(directory, new RunFiles(runDirectory).Cache, grid ?? TrainingGrid.Stored, train, test);
        foreach (var name in train) data.CasePath(name);
        return data;
    }

    /// <summary>The case's HDF5 file, whichever of the two community layouts it uses.</summary>
    public string CasePath(string name) => CommunityLayout.RequireCaseFile(directory, name);

    /// <summary>
    /// Checks every case a run will read, before its first iteration: the file opens as HDF5, has a 3-D
    /// <c>image</c>, and, for cases that need one, a <c>label</c> (and any <c>gt_dis</c>) of the image's shape.
    /// Only the datasets' descriptions are read, so this costs milliseconds per case; every problem is listed at once.
    /// </summary>
    public void CheckCases(IEnumerable<string> unlabeled, IEnumerable<string> needingLabels)
    {
        var problems = new List<string>();
        void Check(string name, bool needsLabel)
        {
            try
            {
                var path = CasePath(name);
                var datasets = H5Volumes.List(path).ToDictionary(d => d.Name);
                if (!datasets.TryGetValue(H5Case.ImageName, out var image) || !image.IsVolume)
                {
                    problems.Add($"'{name}' has no 3-D '{H5Case.ImageName}' dataset");
                    return;
                }
                var shape = string.Join("×", image.Shape);
                if (needsLabel && !datasets.ContainsKey(H5Case.LabelName)) problems.Add($"'{name}' has no '{H5Case.LabelName}' dataset");
                foreach (var other in new[] { H5Case.LabelName, H5Case.SdfName })
                    if (datasets.TryGetValue(other, out var d) && !d.Shape.SequenceEqual(image.Shape))
                        problems.Add($"'{name}' has '{other}' {string.Join("×", d.Shape)} but '{H5Case.ImageName}' {shape}");
            }
            catch (PmcmException e)
            {
                problems.Add(e.Message);
            }
        }
        foreach (var name in unlabeled) Check(name, needsLabel: false);
        foreach (var name in needingLabels) Check(name, needsLabel: true);
        if (problems.Count > 0)
            throw new PmcmException($"{problems.Count} problem{(problems.Count == 1 ? "" : "s")} in the cases of this run: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; …" : "")}");
    }

    /// <summary>A training sample; labeled cases get their SDF (read, or computed and cached).</summary>
    public Sample LoadSample(string name, bool labeled)
    {
        var path = CasePath(name);
        var c = grid.Load(path);
        if (labeled && c.Label is null) throw new PmcmException($"{path}: labeled case has no '{H5Case.LabelName}' dataset");
        var label = labeled ? LabeledCase.Binary(c.Label!) : null;
        var sdf = labeled ? (c.Sdf?.Data ?? CachedSdf(name, c.Label!)) : null;
        return new Sample(name, c.Image.Shape, c.Image.Data, label, sdf, labeled);
    }

    /// <summary>Image and binary label of a validation or test case, on the training grid.</summary>
    public LabeledCase LoadLabeled(string name) => LabeledCase.Load(name, CasePath(name), grid);

    private float[] CachedSdf(string name, Volume label)
    {
        var path = CommunityLayout.CachedSdfFile(cacheDirectory, name, grid.Downsample);
        if (File.Exists(path))
        {
            var cached = H5Volumes.Read(path, H5Case.SdfName);
            if (cached.Shape == label.Shape) return cached.Data;
        }
        var sdf = SignedDistance.Compute(label);
        Directory.CreateDirectory(cacheDirectory);
        H5Volumes.Write(path, [(H5Case.SdfName, sdf)]);
        return sdf.Data;
    }
}
