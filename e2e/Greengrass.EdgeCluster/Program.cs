using Greengrass.EdgeCluster.Hosting;

return await Cli.RunAsync(args);
