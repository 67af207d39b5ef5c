using Pmcm.Core.IO;
using Pmcm.Core.Volumes;

namespace Pmcm.Core.Preparation;

/// <summary>
/// One case after preparation: the image and label to write, the raw shape it came from, the shape after
/// resampling (equal to the raw shape when nothing was resampled) and the crop box on that grid.
/// </summary>
public sealed record PreparedCase(string Name, H5Case Data, Shape3 RawShape, Shape3 ResampledShape, VoxelBox Crop)
{
    public Shape3 Shape => Data.Image.Shape;
}
