using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Mqtt.Spool;
using Greengrass.Nucleus.MqttLoad;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: Greengrass.Nucleus.MqttLoad [--connections 100] [--messages 100] [--repeat 3] [--nagle]
//        [--baseline-nucleus PATH/greengrass-nucleus.dll]   (another build, measured in the same rounds as "greengrass (baseline)")
//        [--nucleus-env NAME=VALUE]...                      (runtime knobs for the "greengrass" process only, e.g. DOTNET_gcServer=0;
//                                                            with --baseline-nucleus naming the same build this is an A/B of the knob)
// Other arguments are ignored.
// Mosquitto and the nucleus (greengrass-nucleus run --mqtt-config) run as child processes started the same way; the
// same MQTTnet load generator (this process) drives both, one after the other, in alternating order.
var connections = Arg("--connections", 100);
var messages = Arg("--messages", 100);
var rounds = Arg("--repeat", 3);
var root = Path.Combine(Path.GetTempPath(), "gg-mqtt-load-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
var brokers = new List<BrokerProcess>();
try
{
    using var ca = CertificateAuthority.Create("Load CA", CaKeyType.EcdsaP256, TimeProvider.System);
    var caPath = Path.Combine(root, "ca.pem");
    File.WriteAllText(caPath, ca.CertificatePem);
    var identities = Enumerable.Range(0, connections)
        .Select(i => ca.IssueClientCertificate($"load-{i}", TimeSpan.FromDays(1), TimeProvider.System)).ToList();

    brokers.Add(await StartMosquittoAsync(ca, caPath, root));
    var nucleus = Path.Combine(AppContext.BaseDirectory, "greengrass-nucleus.dll");
    var nucleusEnv = Values("--nucleus-env");
    brokers.Add(await StartNucleusAsync(ca, identities, root, nucleus, nucleusEnv, noDelay: true, "greengrass"));
    if (Values("--baseline-nucleus") is [var baseline, ..])
    {
        brokers.Add(await StartNucleusAsync(ca, identities, root, Path.GetFullPath(baseline), [], noDelay: true, "greengrass (baseline)"));
    }

    if (args.Contains("--nagle"))
    {
        brokers.Add(await StartNucleusAsync(ca, identities, root, nucleus, nucleusEnv, noDelay: false, "greengrass (Nagle on)"));
    }

    // One unmeasured run each: the nucleus JIT-compiles its hot path once in its life, not once per measurement.
    foreach (var broker in brokers)
    {
        await LoadRun.RunAsync(broker, caPath, identities, 1, Math.Max(1, messages / 2));
    }

    var results = new List<RoundResult>();
    for (var round = 0; round < rounds; round++)
    {
        var order = round % 2 == 0 ? brokers : Enumerable.Reverse(brokers).ToList();
        foreach (var qos in new[] { 0, 1 })
        {
            foreach (var broker in order)
            {
                results.Add(new RoundResult(round, await LoadRun.RunAsync(broker, caPath, identities, qos, messages)));
            }
        }
    }

    Report.Print(results, connections, messages, rounds);
    Console.WriteLine("Broker RSS after the rounds: " + string.Join(", ", brokers.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Name} {b.RssMiB:F0} MiB"))));
    Console.WriteLine();
    await PrintSpoolRateAsync(root, producers: 100, perProducer: 500);
    await PrintSpoolRateAsync(root, producers: 1000, perProducer: 50);
}
finally
{
    foreach (var broker in brokers)
    {
        await broker.DisposeAsync();
    }

    Directory.Delete(root, recursive: true);
}

List<string> Values(string name) =>
    args.Select((a, i) => (a, i)).Where(x => x.a == name && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
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

// The real nucleus executable (copied beside this one as a project reference), with its own runtimeconfig (GC mode).
static async Task<BrokerProcess> StartNucleusAsync(
    CertificateAuthority ca, List<X509Certificate2> identities, string root, string nucleus, List<string> env, bool noDelay, string name)
{
    var nucleusRoot = Path.Combine(root, "nucleus-" + Guid.NewGuid().ToString("N")[..8]);
    var stateDirectory = Path.Combine(nucleusRoot, "mqtt");
    Directory.CreateDirectory(Path.Combine(stateDirectory, "ca"));
    File.WriteAllText(Path.Combine(stateDirectory, "ca", "ca.pem"), ca.CertificatePem);
    File.WriteAllText(Path.Combine(stateDirectory, "ca", "ca.key.pem"), CertificateAuthority.ExportKeyPem(ca.Certificate));
    var port = BrokerProcess.FreePort();
    var devices = new JsonArray(identities.Select(c => (JsonNode)new JsonObject
    {
        ["thingName"] = c.GetNameInfo(X509NameType.SimpleName, false),
        ["certificatePem"] = c.ExportCertificatePem(),
    }).ToArray());
    var settings = JsonNode.Parse("""
        {"auth": {"deviceGroups": {"definitions": {"load": {"selectionRule": "thingName: load-*", "policyName": "all"}},
                                   "policies": {"all": {"s": {"operations": ["*"], "resources": ["*"]}}}}}}
        """)!.AsObject();
    settings["broker"] = new JsonObject { ["port"] = port, ["bindAddress"] = "127.0.0.1", ["noDelay"] = noDelay };
    settings["stateDirectory"] = stateDirectory;
    settings["clientDevices"] = devices;
    var settingsPath = Path.Combine(root, $"mqtt-{port}.json");
    File.WriteAllText(settingsPath, settings.ToJsonString());
    return await BrokerProcess.StartAsync(name, port, "dotnet",
        [nucleus, "run", "--root", nucleusRoot, "--thing-name", "load-core", "--mqtt-config", settingsPath, "--log-level", "Warning"], env);
}

static async Task<BrokerProcess> StartMosquittoAsync(CertificateAuthority ca, string caPath, string root)
{
    using var server = ca.IssueServerCertificate(["127.0.0.1"], TimeSpan.FromDays(1), TimeProvider.System);
    File.WriteAllText(Path.Combine(root, "server.crt"), server.ExportCertificatePem());
    File.WriteAllText(Path.Combine(root, "server.key"), CertificateAuthority.ExportKeyPem(server));
    var port = BrokerProcess.FreePort();
    var config = Path.Combine(root, "mosquitto.conf");
    File.WriteAllLines(config,
    [
        "persistence false", "allow_anonymous true", "max_queued_messages 100000", $"listener {port} 127.0.0.1",
        $"cafile {caPath}", $"certfile {Path.Combine(root, "server.crt")}", $"keyfile {Path.Combine(root, "server.key")}",
        "require_certificate true", "use_identity_as_username true",
        // Warnings and errors only, like the nucleus at --log-level Warning.
        "log_type error", "log_type warning",
    ]);
    return await BrokerProcess.StartAsync(Report.Baseline, port, "mosquitto", ["-c", config], []);
}
