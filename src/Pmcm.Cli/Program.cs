// libtorch's freed activations are kept for reuse rather than unmapped and faulted in again (docs/performance.md).
Pmcm.Learning.NativeHeap.RetainFreedMemory();
return Pmcm.Cli.PmcmCli.Run(args);
