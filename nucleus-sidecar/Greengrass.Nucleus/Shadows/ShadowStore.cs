using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Storage;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Shadows;

/// <summary>
/// Shadows on disk, one file per shadow: <c>&lt;dir&gt;/&lt;thing&gt;/classic.json</c> and
/// <c>&lt;dir&gt;/&lt;thing&gt;/named/&lt;shadow&gt;.json</c>. Each save is an <see cref="AtomicFile"/> replacement
/// (fsync of the file and of its folder) that completes before the update is acknowledged, so an acknowledged
/// update survives a crash. Names were validated before (<see cref="ShadowRules"/>): they are safe file names.
/// </summary>
internal sealed class ShadowStore
{
    private const string ClassicFile = "classic.json";
    private const string NamedDirectory = "named";
    private readonly string _directory;
    private readonly ILogger _logger;

    public ShadowStore(string directory, ILogger logger)
    {
        _directory = Path.GetFullPath(directory);
        _logger = logger;
    }

    public string Directory => _directory;

    /// <summary>The stored document, tombstones included; null when the shadow was never written or its file is unreadable.</summary>
    public async Task<ShadowDocument?> LoadAsync(string thingName, string shadowName, CancellationToken ct)
    {
        var path = PathOf(thingName, shadowName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(path, ct);
            return ShadowDocument.FromStored(JsonNode.Parse(bytes));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            ShadowLog.UnreadableShadow(_logger, path, ex.Message);
            return null;
        }
    }

    public Task SaveAsync(string thingName, string shadowName, ShadowDocument document, CancellationToken ct) =>
        AtomicFile.WriteAllBytesAsync(
            PathOf(thingName, shadowName), JsonSerializer.SerializeToUtf8Bytes(document.ToStored()), ct);

    /// <summary>Names of the named shadows of <paramref name="thingName"/> with a file, in ordinal order (tombstones included).</summary>
    public IReadOnlyList<string> ListNamed(string thingName)
    {
        var named = Path.Combine(_directory, thingName, NamedDirectory);
        if (!System.IO.Directory.Exists(named))
        {
            return [];
        }

        return [.. System.IO.Directory.EnumerateFiles(named, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(n => !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Removes what an interrupted write left behind; called once before the first request.</summary>
    public void Clean()
    {
        if (!System.IO.Directory.Exists(_directory))
        {
            return;
        }

        foreach (var folder in System.IO.Directory.EnumerateDirectories(_directory, "*", SearchOption.AllDirectories).Append(_directory))
        {
            var removed = AtomicFile.DeleteLeftoverTemporaries(folder);
            if (removed > 0)
            {
                StorageLog.LeftoverTemporariesRemoved(_logger, removed, folder);
            }
        }
    }

    private string PathOf(string thingName, string shadowName) => string.IsNullOrEmpty(shadowName)
        ? Path.Combine(_directory, thingName, ClassicFile)
        : Path.Combine(_directory, thingName, NamedDirectory, shadowName + ".json");
}
