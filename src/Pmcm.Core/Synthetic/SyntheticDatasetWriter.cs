using Pmcm.Core.Data;
using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Synthetic;

/// <summary>
/// Writes a synthetic dataset in the community LA layout: <c>&lt;dir&gt;/&lt;case&gt;/mri_norm2.h5</c> per case,
/// then <c>train.list</c> (the first cases) and <c>test.list</c> (the last <see cref="SyntheticOptions.TestCases"/>).
/// The case file format is not this class's business: the caller passes the writer of one case file
/// (path, image, label, sdf).
/// </summary>
public sealed class SyntheticDatasetWriter(SyntheticOptions options, Action<string, Volume, Volume, Volume> writeCase)
{
    /// <summary>Generates and writes every case; <paramref name="progress"/> hears the number of cases done.</summary>
    public void Write(string directory, IProgress<int>? progress = null)
    {
        var generator = new SyntheticGenerator(options);
        Directory.CreateDirectory(directory);
        var names = new List<string>(options.Cases);
        for (var i = 0; i < options.Cases; i++)
        {
            var c = generator.Generate(i);
            writeCase(CommunityLayout.LeftAtriumCase(directory, c.Name), c.Image, c.Label, c.Sdf);
            names.Add(c.Name);
            progress?.Report(i + 1);
        }
        // Lists last, so a half-written dataset is never mistaken for a complete one.
        var train = options.Cases - options.TestCases;
        AtomicFile.WriteAllText(Path.Combine(directory, CommunityLayout.TrainList), Lines(names.Take(train)));
        AtomicFile.WriteAllText(Path.Combine(directory, CommunityLayout.TestList), Lines(names.Skip(train)));
    }

    private static string Lines(IEnumerable<string> names) => string.Concat(names.Select(n => n + "\n"));
}
