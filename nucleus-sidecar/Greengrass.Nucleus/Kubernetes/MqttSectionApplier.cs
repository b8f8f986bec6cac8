using System.Text.Json;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Runtime;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Kubernetes;

/// <summary>
/// Applies the MQTT section of each plan: a changed section replaces the MQTT stack in-process (sessions, auth cache
/// and spool are on disk and survive it); the section applied last is kept in <c>state/mqtt-section.json</c> so the
/// nucleus starts with it when the API server is unreachable. Without a section from any plan, the document of
/// <c>GG_MQTT_CONFIG</c> (standalone use) stays in force.
/// </summary>
internal sealed partial class MqttSectionApplier
{
    private readonly RuntimeIpc _ipc;
    private readonly string _stateDirectory;
    private readonly PodMqttMounts _mounts;
    private readonly MqttSettings? _fromEnvironment;
    private readonly ILogger _logger;
    private string? _applied;

    private MqttSectionApplier(RuntimeIpc ipc, string root, PodMqttMounts mounts, MqttSettings? fromEnvironment, string? applied, ILogger logger)
    {
        _ipc = ipc;
        _stateDirectory = Path.Combine(root, "mqtt");
        _mounts = mounts;
        _fromEnvironment = fromEnvironment;
        _applied = applied;
        _logger = logger;
    }

    public static string SavedPath(string root) => Path.Combine(root, "state", "mqtt-section.json");

    /// <summary>
    /// The settings the nucleus starts with: the last applied plan section when there is one, else
    /// <paramref name="fromEnvironment"/>. A damaged saved section is logged and ignored.
    /// </summary>
    public static (MqttSettings? Settings, string? Section) Initial(string root, PodMqttMounts mounts, MqttSettings? fromEnvironment, ILogger logger)
    {
        var path = SavedPath(root);
        if (!File.Exists(path))
        {
            return (fromEnvironment, null);
        }

        var json = File.ReadAllText(path);
        try
        {
            var section = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.MqttPlan) ?? throw new FormatException("the section is null");
            return (Settings(section, Path.Combine(root, "mqtt"), mounts), json);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            LogSavedUnreadable(logger, path, e.Message);
            return (fromEnvironment, null);
        }
    }

    public static MqttSectionApplier Create(RuntimeIpc ipc, string root, PodMqttMounts mounts, MqttSettings? fromEnvironment, string? applied, ILogger logger) =>
        new(ipc, root, mounts, fromEnvironment, applied, logger);

    /// <summary>Applies <paramref name="section"/> when it differs from the one in force; a failure is logged and retried with the next offer.</summary>
    public async Task ApplyAsync(MqttPlan? section, CancellationToken ct)
    {
        var json = section is null ? null : JsonSerializer.Serialize(section, ContractsJsonContext.Default.MqttPlan);
        if (json == _applied)
        {
            return;
        }

        MqttSettings? settings;
        try
        {
            settings = section is null ? _fromEnvironment : Settings(section, _stateDirectory, _mounts);
        }
        catch (FormatException e)
        {
            LogRejected(_logger, e.Message);
            return; // the stack in force keeps running
        }

        try
        {
            await _ipc.ReplaceMqttAsync(settings, ct);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException
            or System.Security.Cryptography.CryptographicException or System.Net.Sockets.SocketException)
        {
            LogStartFailed(_logger, e.Message);
            return; // retried with the next offer of the plan
        }

        await SaveAsync(json, ct);
        _applied = json;
        LogApplied(_logger, section is null ? "none" : $"broker {(section.Broker is { } b ? b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "off")}, " +
            $"{section.ClientDevices.Count} client devices, upstream {section.Upstream?.Host ?? "none"}");
    }

    private static MqttSettings Settings(MqttPlan section, string stateDirectory, PodMqttMounts mounts)
    {
        var settings = RuntimeMqtt.ParseSettings(MqttPlanDocument.Build(section, stateDirectory, mounts.UpstreamDirectory).ToJsonString());
        settings.ApplyDeviceEnvironment(mounts.CaDirectory, mounts.BrokerHosts);
        return settings;
    }

    private async Task SaveAsync(string? json, CancellationToken ct)
    {
        var path = SavedPath(Path.GetDirectoryName(_stateDirectory)!);
        if (json is null)
        {
            File.Delete(path);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Storage.AtomicFile.WriteAllTextAsync(path, json, ct);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Applied the plan's MQTT section: {Summary}")]
    private static partial void LogApplied(ILogger logger, string summary);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "The plan's MQTT section failed to start; the nucleus runs without MQTT until it can: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Error, Message = "The plan's MQTT section is invalid; the MQTT settings in force stay: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "The saved MQTT section {Path} is unreadable and is ignored: {Reason}")]
    private static partial void LogSavedUnreadable(ILogger logger, string path, string reason);
}
