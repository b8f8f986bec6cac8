using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Storage;

internal sealed partial class ConfigStore
{
    private async Task ReplayAsync(CancellationToken ct)
    {
        if (!File.Exists(_logPath))
        {
            return;
        }

        var lines = await File.ReadAllLinesAsync(_logPath, ct);
        var tornTail = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            try
            {
                ApplyEntry(JsonNode.Parse(lines[i]) as JsonObject ?? throw new JsonException("not a JSON object"));
                _entries++;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                if (i == lines.Length - 1)
                {
                    tornTail = true;
                    StorageLog.TornTransactionLogTail(_logger, _logPath);
                }
                else
                {
                    StorageLog.InvalidTransactionLogLine(_logger, _logPath, i + 1, ex.Message);
                }
            }
        }

        if (tornTail)
        {
            // The next append must start on a fresh line, not continue the torn one.
            await CompactCoreAsync(ct);
        }
    }

    private void ApplyEntry(JsonObject entry)
    {
        var timestamp = entry["TS"]?.GetValue<long>() ?? throw new JsonException("missing TS");
        var path = (entry["TP"] as JsonArray ?? throw new JsonException("missing TP"))
            .Select(p => p?.GetValue<string>() ?? throw new JsonException("null key in TP")).ToArray();
        var what = entry["W"]?.GetValue<string>() ?? throw new JsonException("missing W");
        ValidatePath(path);
        switch (what)
        {
            case "changed":
                MergeInto(path, entry["V"], timestamp, []);
                break;
            case "removed":
                var parent = Find(path.Take(path.Length - 1).ToArray());
                parent?.Children.Remove(path[^1]);
                break;
            default:
                throw new JsonException($"unknown W '{what}'");
        }
    }

    private async Task CompactCoreAsync(CancellationToken ct)
    {
        var builder = new MemoryStream();
        var count = 0;
        foreach (var (path, leaf) in _root.Leaves([]))
        {
            if (IsTransient(path))
            {
                continue;
            }

            builder.Write(EncodeEntry("changed", path, leaf.Value, leaf.ModifiedAt));
            count++;
        }

        if (_log is not null)
        {
            await _log.DisposeAsync();
            _log = null;
        }

        await AtomicFile.WriteAllBytesAsync(_logPath, builder.ToArray(), ct);
        _entries = count;
        _log = OpenForAppend(_logPath);
        StorageLog.TransactionLogCompacted(_logger, _logPath, count);
    }
}
