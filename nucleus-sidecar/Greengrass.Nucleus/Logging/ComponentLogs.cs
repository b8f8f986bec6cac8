using System.Collections.Concurrent;
using Greengrass.Nucleus.Storage;

namespace Greengrass.Nucleus.Logging;

/// <summary>One <see cref="ComponentLog"/> per component, shared by all of that component's steps.</summary>
internal sealed class ComponentLogs(string logsDirectory, long maxBytes, int keepFiles, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, ComponentLog> _logs = new(StringComparer.Ordinal);

    public ComponentLog For(string componentName) =>
        _logs.GetOrAdd(NucleusPaths.SafeSegment(componentName), name => new ComponentLog(Path.Combine(logsDirectory, name + ".log"), maxBytes, keepFiles, time));

    public void Dispose()
    {
        foreach (var log in _logs.Values)
        {
            log.Dispose();
        }

        _logs.Clear();
    }
}
