using Greengrass.EdgeCluster.Benchmarks;

return await ScaleRun.RunAsync(args);
