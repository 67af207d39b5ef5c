// A hospital-style integration of Pmcm: read a scan, segment it with a trained model, write the mask with the
// scan's geometry, and report the segmented volume in millilitres (and, given a reference label, the metrics).
//
//   dotnet run --project examples/SegmentScan -- MODEL SCAN MASK [REFERENCE]
//
// MODEL is a `pmcm train` run folder or a PyTorch .pth; SCAN and MASK are .nii, .nii.gz or .nrrd files.
using System.Globalization;
using Pmcm.Core;
using Pmcm.Core.IO;
using Pmcm.Core.Preparation;
using Pmcm.Learning;

if (args.Length is < 3 or > 4)
{
    Console.Error.WriteLine("usage: SegmentScan MODEL SCAN MASK [REFERENCE]");
    return 2;
}

try
{
    using var segmenter = Segmenter.Load(args[0], new SegmenterOptions { LargestComponent = true });
    // LA models are trained on images z-scored over the whole scan (`pmcm prepare la`); the mask keeps the scan's grid.
    var scan = ZScore.Apply(VolumeIO.Read(args[1]));
    var result = segmenter.Segment(scan);
    result.Save(args[2]);

    var culture = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(culture, $"mask: {args[2]} ({scan.Shape})"));
    Console.WriteLine(string.Create(culture, $"volume: {result.VolumeMillilitres:F3} mL ({result.ForegroundVoxels} voxels)"));
    if (args.Length == 4)
    {
        var scores = result.Score(VolumeIO.Read(args[3]), inMillimetres: true);
        Console.WriteLine(string.Create(culture, $"Dice {scores.Dice:F4}, Jaccard {scores.Jaccard:F4}, HD95 {scores.Hd95:F2} mm, ASD {scores.Asd:F2} mm"));
    }
    return 0;
}
catch (PmcmException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
