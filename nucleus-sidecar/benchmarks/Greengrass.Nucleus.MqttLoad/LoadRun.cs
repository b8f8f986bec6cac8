using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Greengrass.Nucleus.MqttLoad;

internal sealed record LoadResult(string Broker, int Qos, int Messages, double Seconds, double P50Ms, double P99Ms, TimeSpan BrokerCpu, TimeSpan GeneratorCpu)
{
    public double MessagesPerSecond => Messages / Seconds;

    /// <summary>Broker CPU time (user + system) per delivered message, in microseconds.</summary>
    public double BrokerCpuMicrosPerMessage => BrokerCpu.TotalMicroseconds / Math.Max(1, Messages);

    /// <summary>CPU time of this load generator (all its clients) per delivered message, in microseconds.</summary>
    public double GeneratorCpuMicrosPerMessage => GeneratorCpu.TotalMicroseconds / Math.Max(1, Messages);

    /// <summary>Share of the machine's cores the broker and the load generator kept busy together during the run.</summary>
    public double MachineBusy => (BrokerCpu + GeneratorCpu).TotalSeconds / (Seconds * Environment.ProcessorCount);
}

/// <summary>
/// N connections, each subscribed to its own topic and publishing M messages of 256 bytes to it one after another
/// (QoS 1 waits for the PUBACK); latency = receive time - send time stamped in the payload.
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(BrokerProcess broker, string caPath, IReadOnlyList<X509Certificate2> identities,
        int qos, int messagesPerConnection)
    {
        var port = broker.Port;
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(caPath);
        var clients = new List<IMqttClient>();
        var latencies = new List<double>[identities.Count];
        var done = new CountdownEvent(identities.Count * messagesPerConnection);
        for (var i = 0; i < identities.Count; i++)
        {
            var index = i;
            latencies[i] = new List<double>(messagesPerConnection);
            var client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += e =>
            {
                var sent = BinaryPrimitives.ReadInt64LittleEndian(e.ApplicationMessage.Payload.FirstSpan);
                latencies[index].Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                done.Signal();
                return Task.CompletedTask;
            };
            var thing = identities[i].GetNameInfo(X509NameType.SimpleName, false);
            await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port).WithClientId(thing).WithProtocolVersion(MqttProtocolVersion.V311)
                .WithTimeout(TimeSpan.FromSeconds(60))
                .WithTlsOptions(t => t.UseTls().WithTargetHost("localhost").WithClientCertificates([identities[i]]).WithTrustChain(trust))
                .Build());
            await client.SubscribeAsync($"load/{thing}", (MqttQualityOfServiceLevel)qos);
            clients.Add(client);
        }

        var payload = new byte[256];
        using var self = Process.GetCurrentProcess();
        var brokerCpuBefore = broker.CpuTime;
        var generatorCpuBefore = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async (client, i) =>
        {
            var topic = $"load/{identities[i].GetNameInfo(X509NameType.SimpleName, false)}";
            for (var m = 0; m < messagesPerConnection; m++)
            {
                var body = (byte[])payload.Clone();
                BinaryPrimitives.WriteInt64LittleEndian(body, Stopwatch.GetTimestamp());
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(body)
                    .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).Build());
            }
        }));
        var complete = await Task.Run(() => done.Wait(TimeSpan.FromMinutes(3)));
        var seconds = watch.Elapsed.TotalSeconds;
        var brokerCpu = broker.CpuTime - brokerCpuBefore;
        self.Refresh();
        var generatorCpu = self.TotalProcessorTime - generatorCpuBefore;
        foreach (var client in clients)
        {
            await client.DisconnectAsync();
            client.Dispose();
        }

        var all = latencies.SelectMany(l => l).Order().ToList();
        if (!complete)
        {
            Console.Error.WriteLine($"{broker.Name} QoS {qos}: only {all.Count} of {identities.Count * messagesPerConnection} messages arrived");
        }

        return new LoadResult(broker.Name, qos, all.Count, seconds, Percentile(all, 0.50), Percentile(all, 0.99), brokerCpu, generatorCpu);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
