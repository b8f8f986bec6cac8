using System.Globalization;
using System.Text;

namespace Greengrass.Nucleus.Mqtt.Spool;

/// <summary>
/// The spool's files: append-only segments named after their first sequence number, and a <c>cursor</c> file
/// holding the last sequence upstream acknowledged. Segments wholly at or below the cursor are deleted.
/// </summary>
internal sealed class SpoolSegments(string directory, long segmentSizeBytes) : IDisposable
{
    private readonly List<(long FirstSequence, string Path)> _closed = [];
    private FileStream? _current;
    private long _currentFirst;

    private string CursorPath => Path.Combine(directory, "cursor");

    public long ReadCursor()
    {
        if (!File.Exists(CursorPath))
        {
            return 0;
        }

        var text = File.ReadAllText(CursorPath).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    /// <summary>Reads every whole record after <paramref name="cursor"/>, truncating a torn tail left by a crash.</summary>
    public List<SpoolMessage> Recover(long cursor)
    {
        Directory.CreateDirectory(directory);
        var result = new List<SpoolMessage>();
        foreach (var path in Directory.GetFiles(directory, "*.seg").Order(StringComparer.Ordinal))
        {
            var records = new List<SpoolMessage>();
            var goodLength = SpoolRecordCodec.ReadAll(path, records);
            if (goodLength < new FileInfo(path).Length)
            {
                using var truncate = new FileStream(path, FileMode.Open, FileAccess.Write);
                truncate.SetLength(goodLength);
                truncate.Flush(flushToDisk: true);
            }

            if (records.Count == 0 || records.Max(r => r.Sequence) <= cursor)
            {
                File.Delete(path);
                continue;
            }

            _closed.Add((records[0].Sequence, path));
            result.AddRange(records.Where(r => r.Sequence > cursor));
        }

        return result;
    }

    /// <summary>Writes the batch and fsyncs once: the group commit.</summary>
    public void AppendAndSync(IEnumerable<byte[]> records, long firstSequence)
    {
        if (_current is null || _current.Length >= segmentSizeBytes)
        {
            Roll(firstSequence);
        }

        foreach (var record in records)
        {
            _current!.Write(record);
        }

        _current!.Flush(flushToDisk: true);
    }

    public async Task WriteCursorAsync(long cursor, CancellationToken ct)
    {
        await AtomicFile.WriteAsync(CursorPath, Encoding.ASCII.GetBytes(cursor.ToString(CultureInfo.InvariantCulture)), ct);
        DeleteDelivered(cursor);
    }

    private void DeleteDelivered(long cursor)
    {
        lock (_closed)
        {
            // A closed segment is fully delivered when the next segment starts at or below cursor + 1.
            while (_closed.Count > 0)
            {
                var nextFirst = _closed.Count > 1 ? _closed[1].FirstSequence : _currentFirst;
                if (nextFirst == 0 || nextFirst - 1 > cursor)
                {
                    break;
                }

                File.Delete(_closed[0].Path);
                _closed.RemoveAt(0);
            }
        }
    }

    private void Roll(long firstSequence)
    {
        lock (_closed)
        {
            if (_current is not null)
            {
                _current.Dispose();
                _closed.Add((_currentFirst, _current.Name));
            }

            _currentFirst = firstSequence;
            var path = Path.Combine(directory, firstSequence.ToString("D20", CultureInfo.InvariantCulture) + ".seg");
            _current = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        }
    }

    public void Dispose() => _current?.Dispose();
}
