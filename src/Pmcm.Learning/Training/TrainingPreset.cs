namespace Pmcm.Learning.Training;

/// <summary>The paper's two settings: left atrium MRI (LA) and Pancreas-CT.</summary>
public enum TrainingPreset
{
    La,
    Pancreas,
}
