namespace Pmcm.Learning.Tests;

/// <summary>
/// Tests that seed libtorch's global generator and build networks (or train) run alone, after the parallel tests:
/// another test's seeding or random initialisation in between shifts a run's network initialisation, which the
/// trainer's exact-resume test detects (seen failing under load when it ran in parallel).
/// </summary>
[CollectionDefinition("Torch generator", DisableParallelization = true)]
public class TorchGeneratorCollection;
