namespace Pmcm.Fuzz;

/// <summary>
/// One reader under test: valid seed inputs written by Pmcm's own writers, whether its input is a text header
/// (for token mutations), and how one input is run. <see cref="Run"/> returns normally for a value and throws
/// <see cref="Core.PmcmException"/> for a clear error; anything else is a finding. <see cref="AllocationIsFinding"/>
/// is false only where the over-allocation happens inside a library Pmcm cannot bound (it is then counted apart).
/// </summary>
public sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, bool Text, Action<byte[]> Run, bool AllocationIsFinding = true);
