namespace Pmcm.Core.Preparation;

/// <summary>A case that could not be prepared, and the one-line reason.</summary>
public sealed record CaseFailure(string Name, string Reason);
