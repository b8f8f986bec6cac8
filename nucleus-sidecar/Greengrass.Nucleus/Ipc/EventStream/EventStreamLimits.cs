namespace Greengrass.Nucleus.Ipc.EventStream;

/// <summary>Size limits of aws-c-event-stream; a frame beyond any of them is a protocol violation.</summary>
internal static class EventStreamLimits
{
    /// <summary>Prelude (total length, headers length, prelude CRC) plus the trailing message CRC.</summary>
    public const int Overhead = 16;

    public const int PreludeLength = 12;

    public const int MaxMessageLength = 24 * 1024 * 1024;

    public const int MaxHeaderNameLength = 255;

    public const int MaxHeaderValueLength = short.MaxValue;

    public const int MaxHeaderCount = 1024;
}
