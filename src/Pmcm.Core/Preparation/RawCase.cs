namespace Pmcm.Core.Preparation;

/// <summary>One case of a raw dataset: its name, its image file and its label file (null when none was found).</summary>
public sealed record RawCase(string Name, string ImagePath, string? LabelPath);
