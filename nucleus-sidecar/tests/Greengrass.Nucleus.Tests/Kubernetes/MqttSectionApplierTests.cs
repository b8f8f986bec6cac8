using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Kubernetes;
using Greengrass.Nucleus.Tests.Mqtt;
using Greengrass.Nucleus.Tests.Runtime;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Greengrass.Nucleus.Tests.Kubernetes;

/// <summary>
/// The MQTT section of the device plan applied to a running nucleus: a changed section replaces the broker and its
/// client devices in-process, IPC stays up, and the section applied last is on disk for an offline start.
/// </summary>
public sealed class MqttSectionApplierTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private RuntimeFixture _runtime = null!;
    private MqttSectionApplier _applier = null!;

    public async Task InitializeAsync()
    {
        _runtime = await RuntimeFixture.StartAsync(enableIpc: true);
        _applier = MqttSectionApplier.Create(_runtime.Runtime.Ipc, _runtime.Root, mounts: PodMqttMounts.None, fromEnvironment: null, applied: null,
            _runtime.LoggerFactory.CreateLogger("test"));
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _pki.Dispose();
    }

    private static MqttPlan Section(int port, params ClientIdentity[] devices) => new()
    {
        Broker = new MqttBrokerPlan { Component = MqttPlan.MoquetteComponent, Port = port },
        Auth = JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy)!.AsObject(),
        ClientDevices = [.. devices.Select(d => new MqttClientDevicePlan { ThingName = d.ThingName, CertificatePem = d.CertificatePem })],
    };

    private string BrokerCa => Path.Combine(_runtime.Root, "mqtt", "ca", "ca.pem");

    /// <summary>Connects as the device and publishes on its own telemetry topic; null when that worked, else why not.</summary>
    private async Task<string?> PublishAsync(int port, ClientIdentity device)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            await client.ConnectAsync(DeviceClient.Options(port, device, BrokerCa));
            var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"telemetry/{device.ThingName}").WithPayload("1")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            // NoMatchingSubscribers: accepted, nobody listens yet (MQTT 5 reason 0x10).
            return result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers ? null : result.ReasonCode.ToString();
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return e.Message;
        }
    }

    [Fact]
    public async Task ChangedSection_ReplacesBrokerAndClientDevices_KeepsIpc_AndIsSavedForAnOfflineStart()
    {
        // Issued by a CA the nucleus does not know: the plan attaching it to its thing is what makes it acceptable.
        var sensor1 = _pki.IssueClient("sensor-1");
        var sensor2 = _pki.IssueClient("sensor-2");
        var (port1, port2) = (TestUtil.FreePort(), TestUtil.FreePort());
        var ipcBus = _runtime.Runtime.Ipc.Bus;

        await _applier.ApplyAsync(Section(port1, sensor1), CancellationToken.None);
        Assert.Equal(string.Empty, await PublishAsync(port1, sensor1) ?? string.Empty);
        var first = _runtime.Runtime.Ipc.Mqtt;

        await _applier.ApplyAsync(Section(port1, sensor1), CancellationToken.None);
        Assert.Same(first, _runtime.Runtime.Ipc.Mqtt); // the same section is not re-applied

        await _applier.ApplyAsync(Section(port2, sensor2), CancellationToken.None);
        Assert.Equal(string.Empty, await PublishAsync(port2, sensor2) ?? string.Empty);
        Assert.NotNull(await PublishAsync(port2, sensor1)); // no longer attached: refused
        Assert.NotNull(await PublishAsync(port1, sensor2)); // the old listener is gone
        Assert.Same(ipcBus, _runtime.Runtime.Ipc.Bus);

        var (settings, saved) = MqttSectionApplier.Initial(_runtime.Root, PodMqttMounts.None, null, _runtime.LoggerFactory.CreateLogger("test"));
        Assert.Equal(port2, settings!.Broker.Port);
        Assert.Equal("sensor-2", Assert.Single(settings.ClientDevices).ThingName);
        Assert.Contains("sensor-2", saved, StringComparison.Ordinal);
        Assert.Empty(_runtime.Logs.Errors);
    }

    [Fact]
    public async Task InvalidSection_KeepsTheStackInForce_AndLogsWhy()
    {
        var sensor1 = _pki.IssueClient("sensor-1");
        var port = TestUtil.FreePort();
        await _applier.ApplyAsync(Section(port, sensor1), CancellationToken.None);
        var running = _runtime.Runtime.Ipc.Mqtt;

        // An upstream, but the pod mounts no credentials for it (GG_MQTT_UPSTREAM_DIR unset).
        await _applier.ApplyAsync(Section(port, sensor1) with { Upstream = new MqttUpstreamPlan { Host = "h", ClientId = "c" } }, CancellationToken.None);

        Assert.Same(running, _runtime.Runtime.Ipc.Mqtt);
        Assert.Equal(string.Empty, await PublishAsync(port, sensor1) ?? string.Empty);
        Assert.Contains(_runtime.Logs.Errors, e => e.Contains("GG_MQTT_UPSTREAM_DIR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SectionRemoved_StopsTheStack_AndForgetsTheSavedSection()
    {
        var sensor1 = _pki.IssueClient("sensor-1");
        var port = TestUtil.FreePort();
        await _applier.ApplyAsync(Section(port, sensor1), CancellationToken.None);

        await _applier.ApplyAsync(null, CancellationToken.None);

        Assert.Null(_runtime.Runtime.Ipc.Mqtt);
        Assert.False(File.Exists(MqttSectionApplier.SavedPath(_runtime.Root)));
        Assert.NotNull(await PublishAsync(port, sensor1));
    }

    [Fact]
    public async Task SavedSectionDamaged_StartsWithTheEnvironmentDocument()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(MqttSectionApplier.SavedPath(_runtime.Root))!);
        await File.WriteAllTextAsync(MqttSectionApplier.SavedPath(_runtime.Root), "{ not json");

        var (settings, saved) = MqttSectionApplier.Initial(_runtime.Root, PodMqttMounts.None, null, _runtime.LoggerFactory.CreateLogger("test"));

        Assert.Null(settings);
        Assert.Null(saved);
    }
}
