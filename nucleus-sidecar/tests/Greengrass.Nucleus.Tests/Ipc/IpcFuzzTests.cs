using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Net.Sockets;
using System.Text;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.EventStream;
using Greengrass.Nucleus.Ipc.Services;
using Microsoft.Extensions.Logging;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>
/// Random and mutated frames against the codec and against a live server. Every connection ends with a frame
/// that is certainly invalid, so every one of them must be closed by the server; afterwards the server must
/// still serve, and descriptors, heap and subscriptions must be back near where they started.
/// </summary>
[Collection(IpcIsolatedCollection.Name)]
public sealed class IpcFuzzTests
{
    private const int FrameTarget = 100_000;

    private enum Fault
    {
        PreludeCrc,
        MessageCrc,
        Truncated,
        Oversized,
        UnknownHeaderType,
        HeaderOverrun,
        StreamIdSkip,
        BeforeConnect,
        Garbage,
        MissingEnvelope,
    }

    [Fact]
    public void Codec_RandomAndMutatedFrames_OnlyFormatErrorsOrFrames()
    {
        var random = new Random(7);
        var seeds = Seeds().Select(EventStreamCodec.Encode).ToArray();
        var decoded = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var bytes = Mutate(random, seeds[random.Next(seeds.Length)], fixCrcs: random.Next(2) == 0);
            var sequence = new ReadOnlySequence<byte>(bytes);
            try
            {
                while (EventStreamCodec.TryDecode(ref sequence, 64 * 1024, out _))
                {
                    decoded++;
                }
            }
            catch (EventStreamFormatException)
            {
                // The expected outcome for most mutations.
            }
        }

        // Mutations with recomputed CRCs often stay valid: the decoder must have accepted some, not rejected all.
        Assert.InRange(decoded, 1, int.MaxValue);
    }

    [Fact]
    public async Task Server_100kFuzzedFramesOverManyConnections_ClosesEachBadConnectionAndStaysHealthy()
    {
        await using var host = await IpcTestHost.StartAsync(o => o.MaxMessageBytes = 64 * 1024, minimumLogLevel: LogLevel.Error);
        var token = host.AddComponent("fuzz", """{"aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["fuzz/*"]}}}""");
        await RunConnectionsAsync(host, token, new Random(1), 50);
        var (fdBefore, heapBefore) = await SettleAsync(host);

        var frames = 0;
        var connections = 0;
        var workers = Enumerable.Range(0, 4).Select(async worker =>
        {
            var random = new Random(1000 + worker);
            while (Volatile.Read(ref frames) < FrameTarget)
            {
                Interlocked.Add(ref frames, await FuzzOneConnectionAsync(host.SocketPath, token, random));
                Interlocked.Increment(ref connections);
            }
        });
        await Task.WhenAll(workers);

        var (fdAfter, heapAfter) = await SettleAsync(host);
        await using var good = await ConnectAsync(host.SocketPath, token);
        var reply = await good.CallAsync("PublishToTopic", """{"topic":"fuzz/ok","publishMessage":{"jsonMessage":{"message":1}}}""");

        Assert.True(frames >= FrameTarget, $"{frames} frames sent");
        Assert.True(connections > 1000, $"{connections} connections");
        Assert.Equal("aws.greengrass#PublishToTopicResponse", Header(reply, "service-model-type"));
        Assert.Equal(0, host.Bus.Publish(new PubSubMessage("fuzz/x", "probe", null, [1])));
        Assert.True(fdAfter <= fdBefore + 32, $"open descriptors grew from {fdBefore} to {fdAfter}");
        Assert.True(heapAfter <= heapBefore + (48L << 20), $"GC heap grew from {heapBefore >> 20} MiB to {heapAfter >> 20} MiB");
        Assert.Empty(host.LoggedErrors);
    }

    /// <summary>One connection: handshake, some valid or mutated-but-valid frames, then a certainly bad one. Returns frames sent.</summary>
    private static async Task<int> FuzzOneConnectionAsync(string socketPath, string token, Random random)
    {
        var fault = (Fault)random.Next(Enum.GetValues<Fault>().Length);
        var buffer = new ArrayBufferWriter<byte>();
        var sent = 0;
        var nextStream = 1;
        if (fault != Fault.BeforeConnect)
        {
            buffer.Write(EventStreamCodec.Encode(Connect(token)));
            sent++;
            for (var i = random.Next(0, 30); i > 0; i--)
            {
                buffer.Write(ValidFrame(random, ref nextStream));
                sent++;
            }
        }

        buffer.Write(BadFrame(random, fault, nextStream));
        sent++;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        try
        {
            await socket.SendAsync(buffer.WrittenMemory);
            if (fault == Fault.Truncated)
            {
                // The server only learns a frame is cut short when the stream ends.
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The server may close before it has read everything; that is a closed connection too.
        }

        Assert.True(await ClosedByServerAsync(socket), $"connection with fault {fault} was not closed by the server");
        return sent;
    }

    private static async Task<bool> ClosedByServerAsync(Socket socket)
    {
        var sink = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await socket.ReceiveAsync(sink, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static byte[] ValidFrame(Random random, ref int nextStream)
    {
        switch (random.Next(5))
        {
            case 0:
                return EventStreamCodec.Encode(IpcFrames.Control(IpcMessageType.Ping, IpcMessageFlags.None, RandomBytes(random, 64)));
            case 1:
                return EventStreamCodec.Encode(Request(nextStream++, "aws.greengrass#SubscribeToTopic", """{"topic":"fuzz/+"}"""));
            case 2:
                return EventStreamCodec.Encode(Request(nextStream++, "aws.greengrass#PublishToTopic", """{"topic":"fuzz/a","publishMessage":{"jsonMessage":{"message":[1,2]}}}"""));
            case 3:
                // Valid frame, hostile JSON: the operation must answer with an error, not fail the connection.
                return EventStreamCodec.Encode(Request(nextStream++, "aws.greengrass#PublishToTopic", Encoding.UTF8.GetString(RandomBytes(random, 40))));
            default:
                return EventStreamCodec.Encode(Request(nextStream++, "aws.greengrass#Op" + random.Next(100), "{}"));
        }
    }

    private static byte[] BadFrame(Random random, Fault fault, int nextStream)
    {
        var valid = EventStreamCodec.Encode(Request(nextStream, "aws.greengrass#PublishToTopic", """{"topic":"fuzz/b"}"""));
        switch (fault)
        {
            case Fault.PreludeCrc:
                valid[random.Next(0, 12)] ^= (byte)(1 << random.Next(8));
                return valid;
            case Fault.MessageCrc:
                valid[random.Next(12, valid.Length)] ^= (byte)(1 << random.Next(8));
                return valid;
            case Fault.Truncated:
                return valid[..random.Next(1, valid.Length)];
            case Fault.Oversized:
                return Prelude(1 << 20, 0);
            case Fault.UnknownHeaderType:
                return EventStreamCodecTests.Frame([3, (byte)'a', (byte)'b', (byte)'c', (byte)random.Next(10, 256)]);
            case Fault.HeaderOverrun:
                return EventStreamCodecTests.Frame([200, (byte)'a', (byte)'b']);
            case Fault.StreamIdSkip:
                return EventStreamCodec.Encode(Request(nextStream + 1 + random.Next(1000), "aws.greengrass#PublishToTopic", "{}"));
            case Fault.BeforeConnect:
                return valid;
            case Fault.MissingEnvelope:
                return EventStreamCodec.Encode(new EventStreamMessage([EventStreamHeader.String("operation", "x")], RandomBytes(random, 10)));
            default:
                var garbage = RandomBytes(random, random.Next(12, 200));
                garbage[0] = 0xff; // a total length far above the limit, whatever the CRC says
                return garbage;
        }
    }

    private static IEnumerable<EventStreamMessage> Seeds()
    {
        yield return Connect("ABCDEFGHIJKLMNOP");
        yield return Request(1, "aws.greengrass#PublishToTopic", """{"topic":"a","publishMessage":{"jsonMessage":{"message":1}}}""");
        yield return new EventStreamMessage(
            [EventStreamHeader.Bool("b", true), EventStreamHeader.Bytes("x", [1, 2]), EventStreamHeader.Uuid("u", Guid.NewGuid()), EventStreamHeader.Timestamp("t", DateTimeOffset.UnixEpoch)],
            new byte[30]);
    }

    /// <summary>Flips, truncates, extends or overwrites bytes; optionally recomputes both CRCs so parsing goes deeper.</summary>
    private static byte[] Mutate(Random random, byte[] seed, bool fixCrcs)
    {
        var bytes = (byte[])seed.Clone();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(bytes.Length);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes = bytes[..Math.Max(1, at)];
                    break;
                default:
                    bytes = [.. bytes, .. RandomBytes(random, random.Next(1, 20))];
                    break;
            }
        }

        if (fixCrcs && bytes.Length >= 16)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)bytes.Length);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), Crc32.HashToUInt32(bytes.AsSpan(0, 8)));
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(bytes.Length - 4), Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        }

        return bytes;
    }

    private static byte[] Prelude(int totalLength, int headersLength)
    {
        var prelude = new byte[12];
        BinaryPrimitives.WriteInt32BigEndian(prelude, totalLength);
        BinaryPrimitives.WriteInt32BigEndian(prelude.AsSpan(4), headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), Crc32.HashToUInt32(prelude.AsSpan(0, 8)));
        return prelude;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task RunConnectionsAsync(IpcTestHost host, string token, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await FuzzOneConnectionAsync(host.SocketPath, token, random);
        }
    }

    /// <summary>Waits for the server to drop every connection, then measures descriptors and the collected heap.</summary>
    private static async Task<(int Fds, long Heap)> SettleAsync(IpcTestHost host)
    {
        await Eventually.TrueAsync(() => host.Server.ConnectionCount == 0, "every fuzzed connection to be closed", 120);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (Directory.GetFiles("/proc/self/fd").Length, GC.GetTotalMemory(forceFullCollection: true));
    }
}

/// <summary>
/// Tests that compare process-wide figures (open descriptors, GC heap) run alone, after the parallel tests,
/// so that other suites' sockets and child processes do not move the numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IpcIsolatedCollection
{
    public const string Name = "IPC measurements of the whole process";
}
