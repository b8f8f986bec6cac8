namespace Greengrass.Nucleus.Ipc;

/// <summary>Options of the IPC server; the host binds them (configuration section <c>Ipc</c>) and they are validated at start.</summary>
internal sealed class IpcServerOptions
{
    /// <summary>Absolute path of the Unix domain socket. Default: <c>/greengrass/v2/ipc.socket</c>.</summary>
    public string SocketPath { get; set; } = "/greengrass/v2/ipc.socket";

    /// <summary>Largest frame accepted from a client, in bytes; bounds each connection's read buffer. Default: 24 MiB (the protocol limit).</summary>
    public int MaxMessageBytes { get; set; } = EventStream.EventStreamLimits.MaxMessageLength;

    /// <summary>Frames queued for one client before further events to it are dropped. Default: 4096 frames.</summary>
    public int OutboundQueueCapacity { get; set; } = 4096;

    /// <summary>How long a closing connection may take to flush what it queued. Default: 5 s.</summary>
    public TimeSpan CloseFlushTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
