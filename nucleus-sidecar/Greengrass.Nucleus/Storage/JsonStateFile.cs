using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Storage;

/// <summary>Reads and writes one JSON document atomically; an unreadable file reads as absent and is logged.</summary>
internal static class JsonStateFile
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task WriteAsync<T>(string path, T value, CancellationToken ct) =>
        AtomicFile.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(value, Options), ct);

    public static async Task<T?> ReadAsync<T>(string path, ILogger logger, CancellationToken ct)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<T>(stream, Options, ct);
        }
        catch (JsonException ex)
        {
            StorageLog.UnreadableStateFile(logger, path, ex.Message);
            return null;
        }
    }
}
