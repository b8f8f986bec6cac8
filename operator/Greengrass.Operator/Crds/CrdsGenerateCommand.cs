using Greengrass.Api;
using Greengrass.Operator.Cli;

namespace Greengrass.Operator.Crds;

/// <summary><c>greengrass crds generate --output DIR</c>: writes one CRD YAML file per kind into DIR.</summary>
internal sealed class CrdsGenerateCommand : ICliCommand
{
    public IReadOnlyList<string> Name { get; } = ["crds", "generate"];

    public string Usage => "crds generate --output DIR";

    public string Summary => "Write the CustomResourceDefinitions of the Greengrass kinds into DIR, one file per kind";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArguments.Parse(arguments, ["--output"]);
        var output = options.GetValueOrDefault("--output") ?? throw new UsageException("missing --output DIR");
        var report = await CrdWriter.WriteAsync(output, CrdGenerator.GenerateAll(), GreengrassApi.Group + "_", cancellationToken);
        foreach (var line in report)
        {
            await context.Out.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }
}
