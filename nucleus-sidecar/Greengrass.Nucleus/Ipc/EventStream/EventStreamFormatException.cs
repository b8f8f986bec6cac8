namespace Greengrass.Nucleus.Ipc.EventStream;

/// <summary>
/// A frame that violates the event-stream format (bad CRC, bad lengths, unknown header type, limits).
/// The connection that sent it cannot be trusted any further and is closed.
/// </summary>
internal sealed class EventStreamFormatException : Exception
{
    public EventStreamFormatException(string message)
        : base(message)
    {
    }

    public EventStreamFormatException()
    {
    }

    public EventStreamFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
