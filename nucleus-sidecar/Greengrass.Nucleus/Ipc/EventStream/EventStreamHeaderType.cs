namespace Greengrass.Nucleus.Ipc.EventStream;

/// <summary>Wire codes of event-stream header value types (aws-c-event-stream).</summary>
internal enum EventStreamHeaderType : byte
{
    BoolTrue = 0,
    BoolFalse = 1,
    Byte = 2,
    Int16 = 3,
    Int32 = 4,
    Int64 = 5,
    ByteBuffer = 6,
    String = 7,
    Timestamp = 8,
    Uuid = 9,
}
