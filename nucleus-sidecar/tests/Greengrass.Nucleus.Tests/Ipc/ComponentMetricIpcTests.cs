using Greengrass.Nucleus.Observability;
using Greengrass.Nucleus.Tests.TestSupport;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>PutComponentMetric over the wire, read back from the nucleus's Prometheus registry.</summary>
public sealed class ComponentMetricIpcTests : IAsyncLifetime
{
    private const string Allowed = """{"aws.greengrass.ipc.componentmetric": {"m": {"operations": ["aws.greengrass#PutComponentMetric"], "resources": ["*"]}}}""";
    private IpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IpcTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PutComponentMetric_AuthorizedAwsComponent_ShowsAsGaugeThatPassesPromtool()
    {
        var component = "aws.test.Metrics" + Guid.NewGuid().ToString("N")[..6];
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(component, Allowed));

        var reply = await client.CallAsync("PutComponentMetric",
            """{"metrics":[{"name":"queue depth","unit":"COUNT","value":42},{"name":"rate","unit":"bytes_per_second","value":1.5}]}""");

        Assert.Equal("aws.greengrass#PutComponentMetricResponse", Header(reply, "service-model-type"));
        var text = await ExportAsync();
        Assert.Contains($"greengrass_nucleus_component_metric{{component=\"{component}\",metric=\"queue_depth\",unit=\"COUNT\"}} 42", text, StringComparison.Ordinal);
        Assert.Contains($"greengrass_nucleus_component_metric{{component=\"{component}\",metric=\"rate\",unit=\"BYTES_PER_SECOND\"}} 1.5", text, StringComparison.Ordinal);
        await Promtool.AssertCleanAsync(text);
        Assert.Empty(_host.LoggedErrors);
    }

    [Theory]
    [InlineData("""{"metrics":[]}""")]
    [InlineData("""{"metrics":[{"name":"","unit":"COUNT","value":1}]}""")]
    [InlineData("""{"metrics":[{"name":"abcdefghijklmnopqrstuvwxyz0123456","unit":"COUNT","value":1}]}""")]
    [InlineData("""{"metrics":[{"name":"n","unit":"FURLONGS","value":1}]}""")]
    [InlineData("""{"metrics":[{"name":"n","unit":"COUNT","value":-1}]}""")]
    [InlineData("""{"metrics":[{"name":"ok","unit":"COUNT","value":1},{"name":"n","unit":"COUNT"}]}""")]
    public async Task PutComponentMetric_InvalidMetric_IsInvalidArgumentsAndRecordsNothing(string request)
    {
        var component = "aws.test.Bad" + Guid.NewGuid().ToString("N")[..6];
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(component, Allowed));

        var reply = await client.CallAsync("PutComponentMetric", request);

        Assert.Equal("aws.greengrass#InvalidArgumentsError", Header(reply, "service-model-type"));
        Assert.DoesNotContain(component, await ExportAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws.test.NoPolicy", null)]
    [InlineData("com.example.NotAws", Allowed)]
    public async Task PutComponentMetric_NoPolicyOrNotAnAwsComponent_IsUnauthorized(string component, string? accessControl)
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(component, accessControl));

        var reply = await client.CallAsync("PutComponentMetric", """{"metrics":[{"name":"n","unit":"COUNT","value":1}]}""");

        Assert.Equal("aws.greengrass#UnauthorizedError", Header(reply, "service-model-type"));
    }

    [Fact]
    public void Put_BeyondTheSeriesCap_IsDroppedWhileKnownSeriesStillUpdate()
    {
        var metrics = new ComponentMetrics();
        var component = "aws.test.Cap" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < ComponentMetrics.MaxSeriesPerComponent; i++)
        {
            Assert.True(metrics.Put(component, $"m{i}", "COUNT", i));
        }

        Assert.False(metrics.Put(component, "one-too-many", "COUNT", 1));
        Assert.True(metrics.Put(component, "m0", "COUNT", 7));
        Assert.True(metrics.Put("aws.test.Other" + Guid.NewGuid().ToString("N")[..6], "m0", "COUNT", 1));
        metrics.Forget(component);
    }

    private static async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await NucleusMetrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

}
