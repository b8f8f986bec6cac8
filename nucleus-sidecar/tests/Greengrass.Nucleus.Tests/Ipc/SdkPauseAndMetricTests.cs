using System.Collections.Concurrent;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>PauseComponent, ResumeComponent and PutComponentMetric from the unmodified npm aws-iot-device-sdk-v2 client.</summary>
public sealed class SdkPauseAndMetricTests : IAsyncLifetime
{
    private const string Controller = "aws.test.Controller";
    private const string Target = "com.example.Target";

    private const string Policies = """
        {"aws.greengrass.ipc.lifecycle": {"pause": {"operations": ["aws.greengrass#PauseComponent", "aws.greengrass#ResumeComponent"], "resources": ["com.example.Target"]}},
         "aws.greengrass.ipc.componentmetric": {"metrics": {"operations": ["aws.greengrass#PutComponentMetric"], "resources": ["*"]}}}
        """;

    private readonly RecordingPauser _pauser = new();
    private IpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IpcTestHost.StartAsync(services: s => s.AddSingleton<IIpcComponentPauser>(_pauser));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [SdkFact]
    public async Task PauseThenResume_FromTheSdk_ReachTheSupervisorAndSecondResumeIsRefused()
    {
        var token = _host.AddComponent(Controller, Policies);

        await RunAsync(token, "paused", "pause", Target);
        await RunAsync(token, "resumed", "resume", Target);
        await using var again = NodePeer.Start(_host.SocketPath, token, "resume", Target);
        var refused = await again.WaitForAsync("error");

        // Like the Java nucleus, the refusal is an InvalidArgumentsError, which the SDK's model does not list for
        // ResumeComponent: the client reports it as an error without a modelled type.
        Assert.Equal("Error", refused.GetString());
        Assert.Contains("aws.greengrass#InvalidArgumentsError", again.Lines[0].ToString(), StringComparison.Ordinal);
        Assert.Equal([(Target, true), (Target, false), (Target, false)], _pauser.Calls);
    }

    [SdkFact]
    public async Task PutComponentMetric_FromTheSdk_ShowsOnTheRegistry()
    {
        var token = _host.AddComponent(Controller, Policies);

        await RunAsync(token, "metric", "metric", "frames", "COUNT", "12");

        using var stream = new MemoryStream();
        await NucleusMetrics.Registry.CollectAndExportAsTextAsync(stream);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains($"greengrass_nucleus_component_metric{{component=\"{Controller}\",metric=\"frames\",unit=\"COUNT\"}} 12", text, StringComparison.Ordinal);
    }

    private async Task RunAsync(string token, string expected, params string[] args)
    {
        await using var peer = NodePeer.Start(_host.SocketPath, token, args);
        await peer.WaitForAsync(expected);
        await peer.ExitedCleanlyAsync();
    }

    private sealed class RecordingPauser : IIpcComponentPauser
    {
        private readonly ConcurrentQueue<(string, bool)> _calls = new();
        private bool _paused;

        public IReadOnlyList<(string, bool)> Calls => [.. _calls];

        public ValueTask<PauseRefusal> SetPausedAsync(string componentName, bool pause, CancellationToken cancellationToken)
        {
            _calls.Enqueue((componentName, pause));
            var refusal = pause || _paused ? PauseRefusal.None : PauseRefusal.NotPaused;
            _paused = pause;
            return ValueTask.FromResult(refusal);
        }
    }
}
