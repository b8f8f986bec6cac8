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

return await commandLine.RunAsync(args, new CliContext(Console.Out, Console.Error), cancellation.Token);
