using System.Net;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Greengrass.Nucleus.Observability;

/// <summary>
/// The nucleus's <c>/metrics</c>: component states and restarts from the runtime's report (computed at
/// scrape time), IPC calls by operation and result, and the MQTT spool counters when MQTT runs.
/// </summary>
internal sealed class NucleusMetricsServer : IAsyncDisposable
{
    private static readonly ComponentState[] States = Enum.GetValues<ComponentState>();
    private readonly WebApplication _app;

    private NucleusMetricsServer(WebApplication app) => _app = app;

    /// <summary>The address it listens on (useful with port 0).</summary>
    public Uri Address => new(_app.Urls.First());

    public static async Task<NucleusMetricsServer> StartAsync(IDeviceRuntime runtime, int port, CancellationToken cancellationToken)
    {
        var registry = NucleusMetrics.Registry;
        var factory = NucleusMetrics.Factory;
        var state = factory.CreateGauge("greengrass_nucleus_component_state",
            "1 for the lifecycle state each component is in, 0 for the others.", new GaugeConfiguration { LabelNames = ["component", "state"] });
        var restarts = factory.CreateGauge("greengrass_nucleus_component_restarts",
            "Restarts of each component since it was installed.", new GaugeConfiguration { LabelNames = ["component"] });
        var revision = factory.CreateGauge("greengrass_nucleus_applied_revision", "Revision of the device plan the nucleus applied last.");
        registry.AddBeforeCollectCallback(() => Sample(runtime.Report(), state, restarts, revision));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, port));
        var app = builder.Build();
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        return new NucleusMetricsServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void Sample(DeviceReport report, Gauge state, Gauge restarts, Gauge revision)
    {
        foreach (var labels in state.GetAllLabelValues().ToList())
        {
            if (!report.Components.Any(c => c.Name == labels[0]))
            {
                state.RemoveLabelled(labels);
            }
        }

        foreach (var component in report.Components)
        {
            foreach (var candidate in States)
            {
                state.WithLabels(component.Name, candidate.ToString().ToUpperInvariant()).Set(candidate == component.State ? 1 : 0);
            }

            restarts.WithLabels(component.Name).Set(component.RestartCount);
        }

        revision.Set(report.AppliedRevision ?? 0);
    }
}
