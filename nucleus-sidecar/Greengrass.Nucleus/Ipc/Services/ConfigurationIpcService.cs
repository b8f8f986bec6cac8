using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// GetConfiguration, UpdateConfiguration, SubscribeToConfigurationUpdate (§6.6). Any component may read and
/// watch any configuration; a component may only update its own, and never its accessControl.
/// </summary>
internal sealed class ConfigurationIpcService
{
    public const string UpdateEventShape = IpcFrames.ShapePrefix + "ConfigurationUpdateEvents";
    private const string AccessControlKey = "accessControl";
    private readonly IIpcConfigurationStore _store;

    public ConfigurationIpcService(IIpcConfigurationStore store)
    {
        _store = store;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<GetConfigurationRequest>("GetConfiguration", Get);
        yield return new IpcOperation<UpdateConfigurationRequest>("UpdateConfiguration", Update);
        yield return new IpcOperation<SubscribeToConfigurationUpdateRequest>("SubscribeToConfigurationUpdate", Subscribe);
    }

    private ValueTask<IpcResponse> Get(IpcCall call, GetConfigurationRequest request, CancellationToken cancellationToken)
    {
        var component = string.IsNullOrEmpty(request.ComponentName) ? call.Component : request.ComponentName;
        var keyPath = KeyPath(request.KeyPath);
        if (!_store.TryGet(component, keyPath, out var value))
        {
            throw IpcServiceException.ResourceNotFound($"Key not found: {component} configuration {FormatPath(keyPath)}");
        }

        // A leaf comes back wrapped in an object named after it, like the Java nucleus does.
        var wrapped = value is JsonObject ? value : new JsonObject { [keyPath.Count == 0 ? string.Empty : keyPath[^1]] = value };
        var response = new GetConfigurationResponse { ComponentName = component, Value = wrapped };
        return ValueTask.FromResult(IpcResponse.Complete("GetConfiguration", response));
    }

    private async ValueTask<IpcResponse> Update(IpcCall call, UpdateConfigurationRequest request, CancellationToken cancellationToken)
    {
        var keyPath = KeyPath(request.KeyPath);
        var valueToMerge = request.ValueToMerge ?? throw IpcServiceException.InvalidArguments("valueToMerge is required");
        if (request.Timestamp is not { } seconds)
        {
            throw IpcServiceException.InvalidArguments("timestamp is required");
        }

        if (!double.IsFinite(seconds) || seconds < 0 || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw IpcServiceException.InvalidArguments($"timestamp {seconds} is not epoch seconds between 0 and year 9999");
        }

        if (keyPath.Count > 0 ? keyPath[0] == AccessControlKey : valueToMerge.ContainsKey(AccessControlKey))
        {
            throw IpcServiceException.InvalidArguments($"Config update is not allowed for following field [{AccessControlKey}]");
        }

        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        // The response goes out only once the store holds the update durably: an acknowledged update survives a crash.
        if (await _store.MergeAsync(call.Component, keyPath, valueToMerge, timestamp, cancellationToken) == ConfigurationUpdateResult.Stale)
        {
            throw new IpcServiceException(
                IpcErrors.FailedUpdateConditionCheckError,
                $"Proposed timestamp is older than the config's latest modified timestamp: {call.Component} configuration {FormatPath(keyPath)}");
        }

        return IpcResponse.Complete("UpdateConfiguration", IpcEmptyResponse.Instance);
    }

    private ValueTask<IpcResponse> Subscribe(IpcCall call, SubscribeToConfigurationUpdateRequest request, CancellationToken cancellationToken)
    {
        var component = string.IsNullOrEmpty(request.ComponentName) ? call.Component : request.ComponentName;
        var stream = call.Stream;
        var watch = _store.Subscribe(component, KeyPath(request.KeyPath), change => stream.SendEvent(UpdateEventShape, new ConfigurationUpdateEvents
        {
            ConfigurationUpdateEvent = new ConfigurationUpdateEvent { ComponentName = change.ComponentName, KeyPath = [.. change.KeyPath] },
        }));
        stream.OnClosed(watch.Dispose);
        return ValueTask.FromResult(IpcResponse.Streaming("SubscribeToConfigurationUpdate", IpcEmptyResponse.Instance));
    }

    private static List<string> KeyPath(List<string>? keyPath) =>
        keyPath?.Any(string.IsNullOrEmpty) == true
            ? throw IpcServiceException.InvalidArguments("keyPath must not hold null or empty keys")
            : keyPath ?? [];

    private static string FormatPath(IReadOnlyList<string> keyPath) => keyPath.Count == 0 ? "(root)" : string.Join('/', keyPath);

    internal sealed class GetConfigurationRequest
    {
        public string? ComponentName { get; set; }

        public List<string>? KeyPath { get; set; }
    }

    internal sealed class GetConfigurationResponse
    {
        public string? ComponentName { get; set; }

        public JsonNode? Value { get; set; }
    }

    internal sealed class UpdateConfigurationRequest
    {
        public List<string>? KeyPath { get; set; }

        /// <summary>Epoch seconds, possibly fractional.</summary>
        public double? Timestamp { get; set; }

        public JsonObject? ValueToMerge { get; set; }
    }

    internal sealed class SubscribeToConfigurationUpdateRequest
    {
        public string? ComponentName { get; set; }

        public List<string>? KeyPath { get; set; }
    }

    internal sealed class ConfigurationUpdateEvents
    {
        public ConfigurationUpdateEvent? ConfigurationUpdateEvent { get; set; }
    }

    internal sealed class ConfigurationUpdateEvent
    {
        public string? ComponentName { get; set; }

        public List<string>? KeyPath { get; set; }
    }
}
