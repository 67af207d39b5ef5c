namespace Pmcm.Core.Preparation;

/// <summary>
/// How prepared cases are divided into <c>train.list</c> and <c>test.list</c>: the cases named by
/// <see cref="TestList"/> when given, else a share <see cref="TestFraction"/> drawn with <see cref="Seed"/>.
/// Either way <c>train.list</c> holds every other prepared case in input order.
/// </summary>
public sealed record PreparationSplitOptions(double TestFraction = 0.2, int Seed = 1337, IReadOnlyList<string>? TestList = null);
