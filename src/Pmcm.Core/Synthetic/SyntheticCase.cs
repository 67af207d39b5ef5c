using Pmcm.Core.Volumes;

namespace Pmcm.Core.Synthetic;

/// <summary>
/// One generated case: the z-scored float32 image, the uint8 {0, 1} label, its signed distance field
/// (gt_dis), and the mask of the bright unlabeled look-alikes (aorta, spine) for inspection and tests.
/// </summary>
public sealed record SyntheticCase(string Name, Volume Image, Volume Label, Volume Sdf, bool[] Distractors);
