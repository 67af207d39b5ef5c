namespace Pmcm.Core.Metrics;

/// <summary>
/// The four scores of one predicted mask against its reference. HD95 and ASD are in the units of the
/// spacing used (voxels by default).
/// </summary>
/// <param name="EmptyPrediction">The prediction had no foreground; all four scores are then 0 (the reference's convention).</param>
/// <param name="EmptyReference">
/// The reference had no foreground. With a non-empty prediction Dice and Jaccard are 0 (as medpy) and HD95/ASD are
/// NaN: there is no surface to measure to, and medpy raises there.
/// </param>
public sealed record SegmentationScores(double Dice, double Jaccard, double Hd95, double Asd, bool EmptyPrediction, bool EmptyReference);
