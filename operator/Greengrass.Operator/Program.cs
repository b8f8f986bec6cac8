using Greengrass.Operator.Cli;
using Greengrass.Operator.Components;
using Greengrass.Operator.Crds;
using Greengrass.Operator.Hosting;

// The greengrass executable: one entry per subcommand. The operator and the recipe import/export commands join this list.
var commandLine = new CommandLine([new CrdsGenerateCommand(), new RecipeImportCommand(), new RecipeExportCommand(), new OperatorCommand()]);

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// Kubernetes stops a pod with SIGTERM: stop reconciling at once so a standby replica takes the lease
// without waiting for the kill at the end of the grace period.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

return await commandLine.RunAsync(args, new CliContext(Console.Out, Console.Error), cancellation.Token);
