using Pmcm.Core;

namespace Pmcm.Learning.Training;

/// <summary>A loss term became NaN or infinite; the message names the term and the iteration.</summary>
public sealed class NonFiniteLossException(string term, double value, long iteration)
    : PmcmException($"loss term '{term}' is {value} at iteration {iteration}; training stopped (the last good checkpoint is kept)")
{
    public string Term { get; } = term;
}
