using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Shadows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The runtime's shadow service: offered while the applied deployment contains <c>aws.greengrass.ShadowManager</c>
/// (implemented natively, like the client-device components), with that component's
/// <c>shadowDocumentSizeLimitBytes</c>. Shadows live under <c>&lt;root&gt;/state/shadows</c>.
/// </summary>
internal sealed class RuntimeShadows : IShadowServiceAccess
{
    private const string SizeLimitKey = "shadowDocumentSizeLimitBytes";
    private readonly NucleusRuntime _runtime;
    private readonly ShadowService _service;
    private readonly ILogger _logger;
    private string? _reportedBadLimit;

    public RuntimeShadows(NucleusRuntime runtime, ShadowService service, ILogger<RuntimeShadows> logger)
    {
        _runtime = runtime;
        _service = service;
        _logger = logger;
    }

    public static string DirectoryOf(NucleusRuntime runtime) => Path.Combine(runtime.Paths.StateDirectory, "shadows");

    public ShadowService? Current
    {
        get
        {
            if (!_runtime.IsDeployed(ShadowService.ComponentName))
            {
                return null;
            }

            _service.DocumentSizeLimit = SizeLimit(_runtime.ConfigurationOf(ShadowService.ComponentName)?[SizeLimitKey]);
            return _service;
        }
    }

    private int SizeLimit(JsonNode? value)
    {
        if (ShadowRules.ParseDocumentSizeLimit(value) is { } limit)
        {
            return limit;
        }

        // Logged once per bad value: the check runs on every call.
        var text = value!.ToJsonString();
        if (_reportedBadLimit != text)
        {
            _reportedBadLimit = text;
            ShadowLog.InvalidSizeLimit(_logger, text, ShadowRules.MaxDocumentSizeLimit, ShadowRules.DefaultDocumentSizeLimit);
        }

        return ShadowRules.DefaultDocumentSizeLimit;
    }
}

/// <summary>Registration of the runtime's shadow parts in its IPC service provider.</summary>
internal static class RuntimeShadowsServiceCollectionExtensions
{
    /// <summary>The runtime's shadow service, its access check and the pub/sub request handler, on the runtime's bus.</summary>
    public static IServiceCollection AddRuntimeShadows(this IServiceCollection services, NucleusRuntime runtime, LocalPubSub bus)
    {
        services.AddSingleton(sp => new ShadowService(
            new ShadowStore(RuntimeShadows.DirectoryOf(runtime), sp.GetRequiredService<ILogger<ShadowStore>>()),
            bus, runtime.Options.Time, sp.GetRequiredService<ILogger<ShadowService>>()));
        services.AddSingleton<IShadowServiceAccess>(sp => new RuntimeShadows(
            runtime, sp.GetRequiredService<ShadowService>(), sp.GetRequiredService<ILogger<RuntimeShadows>>()));
        services.AddHostedService<ShadowPubSubRequests>();
        return services;
    }
}
