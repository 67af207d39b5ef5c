namespace Pmcm.Core.Preparation;

/// <summary>How <see cref="IsotropicResampling"/> reads the input between its voxel centres.</summary>
public enum ResamplingInterpolation
{
    /// <summary>The nearest voxel (half-way rounds up, as ITK): for label maps, whose values must not mix.</summary>
    Nearest,

    /// <summary>Cubic B-spline interpolation (<see cref="CubicBSpline"/>): for images, as SimpleITK's <c>sitkBSpline</c>.</summary>
    CubicBSpline,
}
