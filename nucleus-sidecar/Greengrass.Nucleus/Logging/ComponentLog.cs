using System.Globalization;
using System.Text;

namespace Greengrass.Nucleus.Logging;

/// <summary>
/// One component's log file, <c>logs/&lt;component&gt;.log</c>, in the Greengrass TEXT format
/// (<c>&lt;ts&gt; [LEVEL] (thread) logger: eventType. message. {k=v, …}</c>), rotated by size:
/// the live file becomes <c>.log.1</c>, older ones shift up, and only <c>KeepFiles</c> rotated files remain.
/// Several steps of one component write to the same instance; writes are serialised.
/// </summary>
internal sealed class ComponentLog : IDisposable
{
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _keepFiles;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private FileStream? _stream;

    public ComponentLog(string path, long maxBytes, int keepFiles, TimeProvider time)
    {
        if (maxBytes <= 0 || keepFiles < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), "Log size must be positive and the kept-file count not negative.");
        }

        _path = path;
        _maxBytes = maxBytes;
        _keepFiles = keepFiles;
        _time = time;
    }

    public string Path => _path;

    public void Write(string level, string thread, string logger, string eventType, string message, IReadOnlyDictionary<string, string> context)
    {
        var line = Format(_time.GetUtcNow(), level, thread, logger, eventType, message, context);
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_gate)
        {
            _stream ??= Open();
            if (_stream.Length > 0 && _stream.Length + bytes.Length > _maxBytes)
            {
                Rotate();
            }

            _stream.Write(bytes);
            _stream.Flush();
        }
    }

    public static string Format(DateTimeOffset at, string level, string thread, string logger, string eventType, string message, IReadOnlyDictionary<string, string> context)
    {
        var ts = at.UtcDateTime.ToString("yyyy MMM dd HH:mm:ss,fff", CultureInfo.InvariantCulture) + "+0000";
        var ctx = string.Join(", ", context.Select(kv => kv.Key + "=" + kv.Value));
        return $"{ts} [{level}] ({thread}) {logger}: {eventType}. {message}. {{{ctx}}}\n";
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private FileStream Open()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
        return new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    private void Rotate()
    {
        _stream!.Dispose();
        File.Delete($"{_path}.{_keepFiles}");
        for (var i = _keepFiles - 1; i >= 1; i--)
        {
            if (File.Exists($"{_path}.{i}"))
            {
                File.Move($"{_path}.{i}", $"{_path}.{i + 1}", overwrite: true);
            }
        }

        if (_keepFiles > 0)
        {
            File.Move(_path, $"{_path}.1", overwrite: true);
        }
        else
        {
            File.Delete(_path);
        }

        _stream = Open();
    }
}
