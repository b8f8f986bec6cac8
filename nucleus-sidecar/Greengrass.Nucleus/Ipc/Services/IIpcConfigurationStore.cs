using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>A change of one configuration value: the component and the key path that changed.</summary>
internal sealed record ConfigurationChange(string ComponentName, IReadOnlyList<string> KeyPath);

/// <summary>Outcome of an UpdateConfiguration.</summary>
internal enum ConfigurationUpdateResult
{
    Applied,

    /// <summary>A value to merge is older than the stored one; nothing was changed.</summary>
    Stale,
}

/// <summary>
/// The component configuration as IPC sees it. The runtime's store persists every accepted update before
/// <see cref="MergeAsync"/> returns; <see cref="InMemoryIpcConfigurationStore"/> holds the values in memory only.
/// </summary>
internal interface IIpcConfigurationStore
{
    /// <summary>A deep copy of the node at <paramref name="keyPath"/> (empty = the whole configuration); false when missing.</summary>
    bool TryGet(string componentName, IReadOnlyList<string> keyPath, out JsonNode? value);

    /// <summary>
    /// Merges <paramref name="valueToMerge"/> at <paramref name="keyPath"/> with modification time
    /// <paramref name="timestamp"/>; rejects the whole update when a value it would change is newer. An applied update
    /// is durable when this returns.
    /// </summary>
    ValueTask<ConfigurationUpdateResult> MergeAsync(
        string componentName, IReadOnlyList<string> keyPath, JsonObject valueToMerge, DateTimeOffset timestamp, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onChange"/> for every change at, under or above <paramref name="keyPath"/>.</summary>
    IDisposable Subscribe(string componentName, IReadOnlyList<string> keyPath, Action<ConfigurationChange> onChange);
}
