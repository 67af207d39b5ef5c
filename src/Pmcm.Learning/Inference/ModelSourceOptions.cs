using Pmcm.Core.Inference;
using Pmcm.Core.Volumes;

namespace Pmcm.Learning.Inference;

/// <summary>
/// Window geometry for <see cref="ModelSource"/>: <see cref="Patch"/>/<see cref="Stride"/> override what a run's
/// record says; a bare checkpoint without them gets the LA values (112×112×80, stride 18/18/4).
/// </summary>
public sealed record ModelSourceOptions(Shape3? Patch = null, Shape3? Stride = null)
{
    public static readonly SlidingWindowOptions Fallback = SlidingWindowOptions.LeftAtrium;
}
