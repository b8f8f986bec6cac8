using Greengrass.Operator.Cli;
using Microsoft.Extensions.Logging;

namespace Greengrass.Operator.Hosting;

/// <summary><c>greengrass operator run</c>: reconciles the Greengrass resources until stopped.</summary>
internal sealed class OperatorCommand : ICliCommand
{
    public IReadOnlyList<string> Name { get; } = ["operator", "run"];

    public string Usage => "operator run [--kubeconfig FILE] [--namespace NS] [--leader-election true|false] ...";

    public string Summary => "Run the operator: reconcile Components, Deployments and CoreDevices into nucleus pods";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken)
    {
        var options = OperatorOptions.Parse(arguments);
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("Logging__LogLevel__Default"), out var parsed) ? parsed : LogLevel.Information;
        using var loggers = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
            if (Environment.GetEnvironmentVariable("Logging__Format") == "json")
            {
                builder.AddJsonConsole(o => o.IncludeScopes = true);
            }
            else
            {
                builder.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                });
            }
        });
        try
        {
            return await new OperatorHost(options, loggers).RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
    }
}
