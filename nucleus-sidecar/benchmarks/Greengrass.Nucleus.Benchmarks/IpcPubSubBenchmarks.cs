using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Greengrass.Nucleus.Benchmarks;

/// <summary>
/// Local pub/sub through the IPC socket with an in-process client: one connection publishes, another has
/// subscribed. <see cref="RoundTrip"/> is one publish until the subscriber holds the event (every round trip
/// is also timed on its own, and the percentiles over all of them are printed at the end);
/// <see cref="Burst"/> publishes 1,000 messages in one write and waits for all 1,000 events.
/// </summary>
[MemoryDiagnoser]
public class IpcPubSubBenchmarks
{
    private const int BurstSize = 1000;
    private static readonly byte[] Subscribe = Encoding.UTF8.GetBytes("""{"topic":"bench/topic","receiveMode":"RECEIVE_ALL_MESSAGES"}""");
    private static readonly byte[] Publish = Encoding.UTF8.GetBytes("""{"topic":"bench/topic","publishMessage":{"jsonMessage":{"message":{"n":1,"unit":"C"}}}}""");
    private readonly List<long> _roundTripTicks = new(1 << 20);
    private IpcBenchServer _server = null!;
    private IpcBenchClient _publisher = null!;
    private IpcBenchClient _subscriber = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await IpcBenchServer.StartAsync();
        _publisher = await IpcBenchClient.ConnectAsync(_server.SocketPath, _server.Token);
        _subscriber = await IpcBenchClient.ConnectAsync(_server.SocketPath, _server.Token);
        _subscriber.Queue("aws.greengrass#SubscribeToTopic", Subscribe);
        await _subscriber.FlushAsync();
        // Prove the subscription is live before measuring.
        _publisher.Queue("aws.greengrass#PublishToTopic", Publish);
        await _publisher.FlushAsync();
        await _subscriber.Arrived.WaitAsync();
    }

    [Benchmark]
    public async Task RoundTrip()
    {
        var start = Stopwatch.GetTimestamp();
        _publisher.Queue("aws.greengrass#PublishToTopic", Publish);
        await _publisher.FlushAsync();
        await ArrivedAsync();
        _roundTripTicks.Add(Stopwatch.GetTimestamp() - start);
    }

    [Benchmark(OperationsPerInvoke = BurstSize)]
    public async Task Burst()
    {
        for (var i = 0; i < BurstSize; i++)
        {
            _publisher.Queue("aws.greengrass#PublishToTopic", Publish);
        }

        await _publisher.FlushAsync();
        for (var i = 0; i < BurstSize; i++)
        {
            await ArrivedAsync();
        }
    }

    // A dropped event (the server sheds events for a client that lags) must fail the run, not hang it.
    private async Task ArrivedAsync()
    {
        if (!await _subscriber.Arrived.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("an event did not arrive within 30 s");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_roundTripTicks.Count > 0)
        {
            _roundTripTicks.Sort();
            double Micros(double q) => _roundTripTicks[(int)Math.Min(_roundTripTicks.Count - 1, q * _roundTripTicks.Count)] * 1e6 / Stopwatch.Frequency;
            Console.WriteLine($"// IPC round trip over {_roundTripTicks.Count} samples: p50 {Micros(0.50):F1} us, p99 {Micros(0.99):F1} us, p99.9 {Micros(0.999):F1} us");
        }

        await _publisher.DisposeAsync();
        await _subscriber.DisposeAsync();
        await _server.DisposeAsync();
    }
}
