using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>A prepared case as written: where, from which raw shape, through which resampled grid and crop box, to which shape.</summary>
public sealed record PreparedFile(string Name, string Path, Shape3 RawShape, Shape3 ResampledShape, VoxelBox Crop, Shape3 Shape);
