namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>
/// Follows MQTT framing on the inbound side of a connection and fails the read as soon as a fixed header
/// announces a packet larger than the limit or a malformed remaining length. MQTTnet allocates the announced
/// size up front, so without this guard a few connections announcing 256 MB would exhaust memory.
/// <paramref name="onPacketHeader"/> sees the fixed-header byte of every inbound packet (the output side uses it to
/// know a PUBACK is coming).
/// </summary>
internal sealed class PacketSizeGuardStream(Stream inner, int maxPacketSize, Action<byte>? onPacketHeader = null) : ConnectionStreamBase
{
    private State _state = State.Header;
    private long _remaining;
    private int _lengthBytes;
    private int _multiplier = 1;

    private enum State
    {
        Header,
        Length,
        Body,
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // MQTTnet reads a packet in several small reads that TLS mostly answers from its buffer: no state machine then.
        var pending = inner.ReadAsync(buffer, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            var read = pending.Result;
            Inspect(buffer.Span[..read]);
            return ValueTask.FromResult(read);
        }

        return InspectWhenReadAsync(pending, buffer);
    }

    private async ValueTask<int> InspectWhenReadAsync(ValueTask<int> pending, Memory<byte> buffer)
    {
        var read = await pending;
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    private void Inspect(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Header:
                    onPacketHeader?.Invoke(data[i]);
                    i++;
                    _state = State.Length;
                    _remaining = 0;
                    _lengthBytes = 0;
                    _multiplier = 1;
                    break;
                case State.Length:
                    var b = data[i++];
                    _remaining += (b & 0x7F) * (long)_multiplier;
                    _multiplier *= 128;
                    if (++_lengthBytes > 4)
                    {
                        throw new IOException("malformed MQTT remaining length (more than four bytes)");
                    }

                    if ((b & 0x80) == 0)
                    {
                        if (_remaining > maxPacketSize)
                        {
                            throw new IOException($"MQTT packet of {_remaining} bytes exceeds the limit of {maxPacketSize} bytes");
                        }

                        _state = _remaining == 0 ? State.Header : State.Body;
                    }

                    break;
                default:
                    var skip = (int)Math.Min(_remaining, data.Length - i);
                    i += skip;
                    _remaining -= skip;
                    if (_remaining == 0)
                    {
                        _state = State.Header;
                    }

                    break;
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
