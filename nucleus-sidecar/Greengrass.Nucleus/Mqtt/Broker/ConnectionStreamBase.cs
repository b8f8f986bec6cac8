namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>
/// What every stream layered over a broker connection says of itself: it reads and writes, and it has no length or
/// position. The layers (<see cref="PacketSizeGuardStream"/>, <see cref="CoalescingWriteStream"/>) add their reading and
/// writing only.
/// </summary>
internal abstract class ConnectionStreamBase : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
