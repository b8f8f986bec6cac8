using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Mqtt.Spool;
using Greengrass.Nucleus.MqttLoad;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: Greengrass.Nucleus.MqttLoad [--connections 100] [--messages 100]   (other arguments are ignored)
var connections = Arg("--connections", 100);
var messages = Arg("--messages", 100);
var root = Path.Combine(Path.GetTempPath(), "gg-mqtt-load-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
try
{
    using var ca = CertificateAuthority.Create("Load CA", CaKeyType.EcdsaP256, TimeProvider.System);
    var caPath = Path.Combine(root, "ca.pem");
    File.WriteAllText(caPath, ca.CertificatePem);
    var identities = Enumerable.Range(0, connections)
        .Select(i => ca.IssueClientCertificate($"load-{i}", TimeSpan.FromDays(1), TimeProvider.System)).ToList();

    var results = new List<LoadResult>();
    var mosquittoPort = FreePort();
    using (var mosquitto = StartMosquitto(ca, caPath, root, mosquittoPort))
    {
        await WaitForPort(mosquittoPort);
        foreach (var qos in new[] { 0, 1 })
        {
            results.Add(await LoadRun.RunAsync("mosquitto", mosquittoPort, caPath, identities, qos, messages));
        }

        mosquitto.Kill();
        mosquitto.WaitForExit();
    }

    foreach (var noDelay in new[] { false, true })
    {
        using var host = await StartNucleusAsync(ca, identities, root, noDelay);
        var port = host.Services.GetRequiredService<LocalMqttBroker>().Port;
        foreach (var qos in new[] { 0, 1 })
        {
            results.Add(await LoadRun.RunAsync(noDelay ? "greengrass (TCP_NODELAY, default)" : "greengrass (Nagle on)", port, caPath, identities, qos, messages));
        }

        await host.StopAsync();
    }

    PrintTable(results, connections, messages);
    Console.WriteLine();
    await PrintSpoolRateAsync(root, producers: 100, perProducer: 500);
    await PrintSpoolRateAsync(root, producers: 1000, perProducer: 50);
}
finally
{
    Directory.Delete(root, recursive: true);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static void PrintTable(List<LoadResult> results, int connections, int messages)
{
    Console.WriteLine($"{connections} TLS connections x {messages} messages of 256 bytes, each connection publishing to and subscribed to its own topic");
    Console.WriteLine("| broker | QoS | msgs/s | p50 ms | p99 ms | throughput vs Mosquitto | p99 vs Mosquitto |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var r in results)
    {
        var baseline = results.First(b => b.Broker == "mosquitto" && b.Qos == r.Qos);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Broker} | {r.Qos} | {r.MessagesPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MessagesPerSecond / baseline.MessagesPerSecond:F2}x | {r.P99Ms / baseline.P99Ms:F2}x |"));
    }
}

static async Task PrintSpoolRateAsync(string root, int producers, int perProducer)
{
    await using var spool = new DiskSpool(new SpoolOptions { Directory = Path.Combine(root, "spool-" + producers), MaxSizeInBytes = 1L << 30 }, NullLogger.Instance);
    var payload = new byte[256];
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, producers).Select(async p =>
    {
        for (var i = 0; i < perProducer; i++)
        {
            await spool.AppendAsync($"load/{p}", payload, 1, false, default);
        }
    }));
    var seconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"spool: {producers * perProducer} QoS 1 messages of 256 bytes from {producers} concurrent producers, each awaited until fsynced: {producers * perProducer / seconds:F0} durable msgs/s"));
}

static async Task<IHost> StartNucleusAsync(CertificateAuthority ca, List<System.Security.Cryptography.X509Certificates.X509Certificate2> identities, string root, bool noDelay)
{
    var settings = MqttSettings.Parse(JsonNode.Parse($$"""{"stateDirectory": "{{Path.Combine(root, "nucleus-" + noDelay)}}"}""")!);
    settings.Broker.Port = 0;
    settings.Broker.BindAddress = IPAddress.Loopback;
    settings.Broker.NoDelay = noDelay;
    settings.DeviceGroups = DeviceGroups.Parse(JsonNode.Parse("""
        {"deviceGroups": {"definitions": {"load": {"selectionRule": "thingName: load-*", "policyName": "all"}},
                          "policies": {"all": {"s": {"operations": ["*"], "resources": ["*"]}}}}}
        """));
    settings.ClientDevices.AddRange(identities.Select(c => new ClientDeviceEntry(
        c.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false), c.ExportCertificatePem())));
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Services.AddGreengrassMqtt(settings);
    builder.Services.AddSingleton(ca);
    var host = builder.Build();
    await host.StartAsync();
    return host;
}

static Process StartMosquitto(CertificateAuthority ca, string caPath, string root, int port)
{
    using var server = ca.IssueServerCertificate(["127.0.0.1"], TimeSpan.FromDays(1), TimeProvider.System);
    File.WriteAllText(Path.Combine(root, "server.crt"), server.ExportCertificatePem());
    File.WriteAllText(Path.Combine(root, "server.key"), CertificateAuthority.ExportKeyPem(server));
    var config = Path.Combine(root, "mosquitto.conf");
    File.WriteAllLines(config,
    [
        "persistence false", "allow_anonymous true", "max_queued_messages 100000", $"listener {port} 127.0.0.1",
        $"cafile {caPath}", $"certfile {Path.Combine(root, "server.crt")}", $"keyfile {Path.Combine(root, "server.key")}",
        "require_certificate true", "use_identity_as_username true",
    ]);
    return Process.Start(new ProcessStartInfo("mosquitto", ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
}

static int FreePort()
{
    using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

static async Task WaitForPort(int port)
{
    for (var i = 0; i < 200; i++)
    {
        try
        {
            using var c = new System.Net.Sockets.TcpClient();
            await c.ConnectAsync(IPAddress.Loopback, port);
            return;
        }
        catch (System.Net.Sockets.SocketException)
        {
            await Task.Delay(50);
        }
    }

    throw new TimeoutException("mosquitto did not start");
}
