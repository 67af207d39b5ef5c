namespace Pmcm.Learning;
