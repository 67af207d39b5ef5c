return Pmcm.Cli.PmcmCli.Run(args);
