namespace Greengrass.Nucleus.Ipc;

/// <summary>Values of the <c>:message-type</c> header (aws-c-event-stream RPC).</summary>
internal enum IpcMessageType
{
    ApplicationMessage = 0,
    ApplicationError = 1,
    Ping = 2,
    PingResponse = 3,
    Connect = 4,
    ConnectAck = 5,
    ProtocolError = 6,
    InternalError = 7,
}

/// <summary>Bits of the <c>:message-flags</c> header.</summary>
[Flags]
internal enum IpcMessageFlags
{
    None = 0,
    ConnectionAccepted = 1,
    TerminateStream = 2,
}
