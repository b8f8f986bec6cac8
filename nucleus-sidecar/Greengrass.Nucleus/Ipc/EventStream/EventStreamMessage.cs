namespace Greengrass.Nucleus.Ipc.EventStream;

/// <summary>One decoded event-stream frame: ordered headers and an opaque payload.</summary>
internal sealed class EventStreamMessage
{
    public EventStreamMessage(IReadOnlyList<EventStreamHeader> headers, ReadOnlyMemory<byte> payload)
    {
        Headers = headers;
        Payload = payload;
    }

    public IReadOnlyList<EventStreamHeader> Headers { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Finds a header by name, case-insensitively (the RPC layer matches names that way).</summary>
    public bool TryGetHeader(string name, out EventStreamHeader header)
    {
        foreach (var candidate in Headers)
        {
            if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                header = candidate;
                return true;
            }
        }

        header = default;
        return false;
    }
}
