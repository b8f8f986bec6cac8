using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Observability;
using Greengrass.Nucleus.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Kubernetes;

public sealed class NucleusMetricsTests
{
    [Fact]
    public async Task Metrics_CarryComponentStatesRestartsAndRevision_AndPassPromtool()
    {
        var runtime = new FixedRuntime(new DeviceReport
        {
            SchemaVersion = DeviceReport.CurrentSchemaVersion,
            ThingName = "EdgeA",
            NucleusVersion = "0.1.0",
            AppliedRevision = 7,
            Components =
            [
                new ComponentReport { Name = "com.example.App", Version = "1.0.0", State = ComponentState.Running, RestartCount = 2, LastTransitionTime = DateTimeOffset.UtcNow },
                new ComponentReport { Name = "com.example.Job", Version = "1.0.0", State = ComponentState.Broken, LastTransitionTime = DateTimeOffset.UtcNow },
            ],
        });
        await using var server = await NucleusMetricsServer.StartAsync(runtime, 0, CancellationToken.None);
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(server.Address.ToString().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "metrics"));

        Assert.Contains("greengrass_nucleus_component_state{component=\"com.example.App\",state=\"RUNNING\"} 1", text);
        Assert.Contains("greengrass_nucleus_component_state{component=\"com.example.App\",state=\"BROKEN\"} 0", text);
        Assert.Contains("greengrass_nucleus_component_state{component=\"com.example.Job\",state=\"BROKEN\"} 1", text);
        Assert.Contains("greengrass_nucleus_component_restarts{component=\"com.example.App\"} 2", text);
        Assert.Contains("greengrass_nucleus_applied_revision 7", text);

        await Promtool.AssertCleanAsync(text);
    }

    private sealed class FixedRuntime(DeviceReport report) : IDeviceRuntime
    {
        public DevicePlan? AppliedPlan => null;

        public event Action? ReportChanged
        {
            add { }
            remove { }
        }

        public Task ApplyAsync(DevicePlan plan, CancellationToken cancellationToken) => Task.CompletedTask;

        public DeviceReport Report() => report;
    }
}
