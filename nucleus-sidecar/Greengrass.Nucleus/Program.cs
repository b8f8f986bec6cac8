using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Kubernetes;
using Greengrass.Nucleus.Runtime;
using Greengrass.Nucleus.Threading;

// Before any socket exists: the runtime reads this once, when its socket engine starts.
if (args.FirstOrDefault() is "run" or "kubernetes")
{
    InlineSocketCompletions.Enable();
}

// A dispatcher of subcommands; each mode lives in its own folder.
return args.FirstOrDefault() switch
{
    "run" => await StandaloneCommand.RunAsync(args[1..], Console.Error),
    "cli" => await CliCommand.RunAsync(args[1..], Console.Out, Console.Error),
    "kubernetes" => await KubernetesCommand.RunAsync(args[1..], Console.Error),
    _ => await UsageAsync(),
};

static async Task<int> UsageAsync()
{
    await Console.Error.WriteLineAsync($"{StandaloneCommand.Usage}\n{CliCommand.Usage}\n{KubernetesCommand.Usage}");
    return 2;
}
