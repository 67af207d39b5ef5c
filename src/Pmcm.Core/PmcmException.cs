namespace Pmcm.Core;

/// <summary>
/// An error caused by the user's input (a corrupt file, a wrong shape, a bad option).
/// The CLI prints its message as one line and exits non-zero; anything else is a bug.
/// </summary>
public class PmcmException(string message, Exception? inner = null) : Exception(message, inner);
