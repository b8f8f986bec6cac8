using System.Text.Json.Nodes;
using Greengrass.Nucleus.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The runtime's secrets: offered while the applied deployment contains <c>aws.greengrass.SecretManager</c>
/// (implemented natively, like ShadowManager), serving the mapped secrets its live <c>cloudSecrets</c> lists.
/// </summary>
internal sealed class RuntimeSecrets(NucleusRuntime runtime, SecretService service, ILogger<RuntimeSecrets> logger) : ISecretServiceAccess
{
    private string? _reportedConfiguration;

    public DeployedSecrets? Current
    {
        get
        {
            if (!runtime.IsDeployed(SecretService.ComponentName))
            {
                return null;
            }

            var value = runtime.ConfigurationOf(SecretService.ComponentName)?[CloudSecrets.Key];
            var (arns, problems) = CloudSecrets.Parse(value);
            ReportOnce(value, problems);
            return new DeployedSecrets(service, arns);
        }
    }

    // Logged once per configuration: the parse runs on every request.
    private void ReportOnce(JsonNode? value, IReadOnlyList<string> problems)
    {
        var text = value?.ToJsonString() ?? "";
        if (problems.Count == 0 || Interlocked.Exchange(ref _reportedConfiguration, text) == text)
        {
            return;
        }

        foreach (var problem in problems)
        {
            SecretLog.InvalidCloudSecrets(logger, problem);
        }
    }
}

/// <summary>Registration of the runtime's secret service in its IPC service provider.</summary>
internal static class RuntimeSecretsServiceCollectionExtensions
{
    public static IServiceCollection AddRuntimeSecrets(this IServiceCollection services, NucleusRuntime runtime)
    {
        services.AddSingleton(sp => new SecretService(runtime.Options.Secrets, sp.GetRequiredService<ILogger<SecretService>>()));
        services.AddSingleton<ISecretServiceAccess>(sp => new RuntimeSecrets(
            runtime, sp.GetRequiredService<SecretService>(), sp.GetRequiredService<ILogger<RuntimeSecrets>>()));
        return services;
    }
}
