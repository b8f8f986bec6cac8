using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: greengrass-mqtt-testhost <settings.json>. Prints "READY <port>" once the broker listens.
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: Greengrass.Nucleus.MqttTestHost <settings.json>");
    return 2;
}

var settings = MqttSettings.Parse(JsonNode.Parse(await File.ReadAllTextAsync(args[0]))!);
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Services.AddGreengrassMqtt(settings);
using var host = builder.Build();
await host.StartAsync();
var broker = host.Services.GetRequiredService<LocalMqttBroker>();
Console.WriteLine($"READY {broker.Port}");
await host.WaitForShutdownAsync();
return 0;
