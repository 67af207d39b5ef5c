namespace Pmcm.Learning.Tests;

/// <summary>
/// Tests that seed libtorch's global generator and build networks (or train) run alone, after the parallel tests:
/// interleaved with the trainer's resume test they would shift its network initialisation.
/// </summary>
[CollectionDefinition("Torch generator", DisableParallelization = true)]
public class TorchGeneratorCollection;
