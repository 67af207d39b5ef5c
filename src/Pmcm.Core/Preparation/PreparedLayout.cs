namespace Pmcm.Core.Preparation;

/// <summary>Which of the community's two file layouts a prepared dataset uses.</summary>
public enum PreparedLayout
{
    /// <summary><c>&lt;case&gt;/mri_norm2.h5</c>, as UA-MT's LA data.</summary>
    LeftAtrium,

    /// <summary><c>&lt;case&gt;_norm.h5</c>, as MC-Net's Pancreas-CT data.</summary>
    Pancreas,
}
