using System.Collections.Concurrent;
using Greengrass.Nucleus.Mqtt.Broker;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Tests.Mqtt;

public sealed class CoalescingWriteStreamTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Write_WhileFlushInFlight_JoinsTheNextInnerWrite()
    {
        var inner = new RecordingStream { Gated = true };
        var stream = new CoalescingWriteStream(inner);

        await stream.WriteAsync("a"u8.ToArray());
        await TestUtil.Eventually(() => inner.WritesStarted == 1, what: "the first flush reached the inner stream");
        await stream.WriteAsync("b"u8.ToArray());
        await stream.WriteAsync("cd"u8.ToArray());
        inner.Open();
        await stream.FlushAsync();

        Assert.Equal(["a", "bcd"], inner.Writes.Select(w => System.Text.Encoding.ASCII.GetString(w)));
        Assert.Equal(2, stream.Flushes);
    }

    private static readonly byte[] Qos1Publish = [0x32, 0x07, 0x00, 0x01, (byte)'t', 0x00, 0x05, (byte)'h', (byte)'i'];
    private static readonly byte[] Forwarded = [0x32, 0x07, 0x00, 0x01, (byte)'t', 0x00, 0x09, (byte)'h', (byte)'i'];
    private static readonly byte[] PubAck = [0x40, 0x02, 0x00, 0x05];

    [Fact]
    public async Task Write_WhileAPubAckIsOwed_WaitsAndLeavesWithThePubAck()
    {
        var inner = new RecordingStream();
        var time = new FakeTimeProvider();
        var stream = new CoalescingWriteStream(inner, time: time);

        stream.OnInboundPacket(Qos1Publish[0]);
        await stream.WriteAsync(Forwarded);
        Assert.Equal(0, inner.WritesStarted);
        await stream.WriteAsync(PubAck);

        Assert.Equal([Forwarded.Concat(PubAck).ToArray()], inner.Writes);
        Assert.Equal(1, stream.Flushes);
    }

    [Fact]
    public async Task Write_PipelinedPublishes_EachPubAckSendsWhatWaitedForIt()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingWriteStream(inner, time: new FakeTimeProvider());

        stream.OnInboundPacket(Qos1Publish[0]);
        stream.OnInboundPacket(Qos1Publish[0]);
        await stream.WriteAsync(Forwarded);
        await stream.WriteAsync(PubAck); // one PUBACK still owed: this one leaves anyway, with what waited for it
        await stream.WriteAsync(Forwarded);
        Assert.Single(inner.Writes);
        await stream.WriteAsync(PubAck);

        Assert.Equal([Forwarded.Concat(PubAck).ToArray(), Forwarded.Concat(PubAck).ToArray()], inner.Writes);
    }

    [Fact]
    public async Task Write_NothingOwed_GoesOutAtOnce()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingWriteStream(inner, time: new FakeTimeProvider());

        stream.OnInboundPacket(0x30); // QoS 0 PUBLISH: no reply
        stream.OnInboundPacket(0x40); // the client's PUBACK for a message it received
        await stream.WriteAsync(Forwarded);

        Assert.Equal([Forwarded], inner.Writes);
    }

    [Fact]
    public async Task Write_OwedPubAckNeverComes_LeavesWhenTheReplyWaitIsOver()
    {
        var inner = new RecordingStream();
        var time = new FakeTimeProvider();
        var stream = new CoalescingWriteStream(inner, replyWait: TimeSpan.FromMilliseconds(2), time: time);

        stream.OnInboundPacket(Qos1Publish[0]);
        await stream.WriteAsync(Forwarded);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(inner.Writes);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await TestUtil.Eventually(() => inner.Writes.Count == 1, what: "the held write left after the reply wait");

        // The count started over: the next write is not held for the reply that never came.
        await stream.WriteAsync(Forwarded);
        Assert.Equal(2, inner.Writes.Count);
    }

    [Fact]
    public async Task Dispose_WhileHeldForAReply_SendsTheHeldBytesThenCloses()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingWriteStream(inner, time: new FakeTimeProvider());
        stream.OnInboundPacket(Qos1Publish[0]);
        await stream.WriteAsync(Forwarded);

        await stream.DisposeAsync();

        Assert.Equal([Forwarded], inner.Writes);
        Assert.True(inner.Disposed);
    }

    [Fact]
    public async Task FlushAsync_WhileHeldForAReply_SendsTheHeldBytes()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingWriteStream(inner, time: new FakeTimeProvider());
        stream.OnInboundPacket(Qos1Publish[0]);
        await stream.WriteAsync(Forwarded);

        await stream.FlushAsync().WaitAsync(Generous);

        Assert.Equal([Forwarded], inner.Writes);
    }

    [Fact]
    public async Task Write_ConcurrentWriters_EveryRecordWholeAndEachWriterInOrder()
    {
        const int writers = 8;
        const int records = 2000;
        var inner = new RecordingStream { YieldOnWrite = true }; // a send that completes later, as on a busy socket
        var stream = new CoalescingWriteStream(inner, maxPendingBytes: 1024);

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < records; i++)
            {
                // [length][writer][sequence (2 bytes)][filler of writer's byte]: a torn or interleaved record is detected
                var length = 4 + (i % 37);
                var record = new byte[length];
                Array.Fill(record, (byte)w);
                (record[0], record[1], record[2], record[3]) = ((byte)length, (byte)w, (byte)(i >> 8), (byte)i);
                await stream.WriteAsync(record);
            }
        })));
        await stream.FlushAsync();

        var all = inner.Writes.SelectMany(w => w).ToArray();
        var next = new int[writers];
        for (var at = 0; at < all.Length;)
        {
            int length = all[at], writer = all[at + 1], sequence = (all[at + 2] << 8) | all[at + 3];
            Assert.Equal(next[writer]++, sequence);
            Assert.All(all.AsSpan(at + 4, length - 4).ToArray(), b => Assert.Equal(writer, b));
            at += length;
        }

        Assert.All(next, n => Assert.Equal(records, n));
        Assert.True(stream.Flushes < writers * records, $"{stream.Flushes} flushes for {writers * records} writes: nothing was coalesced");
    }

    [Fact]
    public async Task Write_OverThePendingLimit_WaitsUntilTheFlusherTakesTheBuffer()
    {
        var inner = new RecordingStream { Gated = true };
        var stream = new CoalescingWriteStream(inner, maxPendingBytes: 16);

        await stream.WriteAsync(new byte[10]);
        await TestUtil.Eventually(() => inner.WritesStarted == 1, what: "the first flush reached the inner stream");
        await stream.WriteAsync(Enumerable.Repeat((byte)1, 10).ToArray());
        var third = stream.WriteAsync(Enumerable.Repeat((byte)2, 10).ToArray()).AsTask();

        await Task.Delay(200);
        Assert.False(third.IsCompleted, "a write beyond the pending limit completed while the flush was blocked");
        inner.Open();
        await third.WaitAsync(Generous);
        await stream.FlushAsync();

        var all = inner.Writes.SelectMany(w => w).ToArray();
        Assert.Equal(new byte[10].Concat(Enumerable.Repeat((byte)1, 10)).Concat(Enumerable.Repeat((byte)2, 10)), all);
    }

    [Fact]
    public async Task Write_LargerThanTheLimit_IsAcceptedIntoAnEmptyBuffer()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingWriteStream(inner, maxPendingBytes: 16);
        var big = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();

        await stream.WriteAsync(big).AsTask().WaitAsync(Generous);
        await stream.FlushAsync();

        Assert.Equal(big, inner.Writes.SelectMany(w => w));
    }

    [Fact]
    public async Task Write_AfterAFailedFlush_ThrowsAndTheInnerStreamIsClosed()
    {
        var inner = new RecordingStream { FailWith = new IOException("connection reset by peer") };
        var stream = new CoalescingWriteStream(inner);

        await stream.WriteAsync(new byte[5]);
        await TestUtil.Eventually(() => inner.Disposed, what: "the failed flush closed the inner stream");

        var error = await Assert.ThrowsAsync<IOException>(() => stream.WriteAsync(new byte[5]).AsTask());
        Assert.Contains("connection reset by peer", error.Message);
        await Assert.ThrowsAsync<IOException>(() => stream.FlushAsync());
    }

    [Fact]
    public async Task Dispose_WithAFlushInFlight_WritesWhatWasAcceptedThenClosesTheInnerStream()
    {
        var inner = new RecordingStream { Gated = true };
        var stream = new CoalescingWriteStream(inner);
        await stream.WriteAsync("connack"u8.ToArray());
        await TestUtil.Eventually(() => inner.WritesStarted == 1, what: "the first flush reached the inner stream");
        await stream.WriteAsync("-refused"u8.ToArray());

        stream.Dispose();
        Assert.False(inner.Disposed, "the inner stream closed before the pending bytes were written");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.WriteAsync(new byte[1]).AsTask());
        inner.Open();
        await TestUtil.Eventually(() => inner.Disposed, what: "the flusher closed the inner stream");

        Assert.Equal("connack-refused", System.Text.Encoding.ASCII.GetString(inner.Writes.SelectMany(w => w).ToArray()));
    }

    [Fact]
    public async Task DisposeAsync_PeerNeverReads_ClosesAfterTheBoundAndEndsTheFlusher()
    {
        var inner = new RecordingStream { Gated = true };
        var stream = new CoalescingWriteStream(inner, closeTimeout: TimeSpan.FromMilliseconds(200));
        await stream.WriteAsync(new byte[3]);
        await TestUtil.Eventually(() => inner.WritesStarted == 1, what: "the flush reached the inner stream");

        await stream.DisposeAsync().AsTask().WaitAsync(Generous);

        Assert.True(inner.Disposed);
        Assert.Empty(inner.Writes);
    }

    [Fact]
    public async Task DisposeAsync_NothingPending_ClosesTheInnerStream()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingWriteStream(inner);
        await stream.WriteAsync(new byte[3]);
        await stream.FlushAsync();

        await stream.DisposeAsync();

        Assert.True(inner.Disposed);
        Assert.Equal(3, inner.Writes.Sum(w => w.Length));
    }

    /// <summary>
    /// Records the inner writes; while <see cref="Gated"/> each write waits for <see cref="Open"/> (a peer not reading);
    /// disposal fails a waiting write, as closing a socket does.
    /// </summary>
    private sealed class RecordingStream : Stream
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<byte[]> _writes = new();
        private int _writesStarted;

        public bool Gated { get; init; }

        public Exception? FailWith { get; init; }

        public bool YieldOnWrite { get; init; }

        public bool Disposed { get; private set; }

        public int WritesStarted => Volatile.Read(ref _writesStarted);

        public IReadOnlyList<byte[]> Writes => [.. _writes];

        public void Open() => _gate.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writesStarted);
            if (FailWith is not null)
            {
                throw FailWith;
            }

            if (Gated)
            {
                await _gate.Task;
            }

            if (YieldOnWrite)
            {
                await Task.Yield();
            }

            _writes.Enqueue(buffer.ToArray());
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            _gate.TrySetException(new ObjectDisposedException(nameof(RecordingStream)));
            base.Dispose(disposing);
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
