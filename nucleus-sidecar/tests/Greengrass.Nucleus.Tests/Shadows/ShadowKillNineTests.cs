using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Shadows;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Greengrass.Nucleus.Tests.Shadows;

/// <summary>A real process updating a shadow, killed with SIGKILL: every update it acknowledged is on disk.</summary>
public sealed class ShadowKillNineTests
{
    private const string Thing = "crash-thing";

    /// <summary>The helper process's loop (<see cref="CrashHelperProgram.ShadowWriter"/>): update, then print "ack N".</summary>
    internal static async Task WriteShadowForeverAsync(string directory)
    {
        using var service = new ShadowService(
            new ShadowStore(directory, NullLogger.Instance), new LocalPubSub(), TimeProvider.System, NullLogger<ShadowService>.Instance);
        for (var i = 1; ; i++)
        {
            var payload = new JsonObject
            {
                ["state"] = new JsonObject { ["reported"] = new JsonObject { ["counter"] = i, ["pad"] = new string('p', i * 37 % 3000) } },
            };
            await service.UpdateAsync(Thing, "", Encoding.UTF8.GetBytes(payload.ToJsonString()), CancellationToken.None);
            Console.Out.WriteLine($"ack {i}");
            Console.Out.Flush();
        }
    }

    [Fact]
    public async Task ShadowService_WriterKilledWithSigkill_EveryAcknowledgedUpdateSurvives()
    {
        using var dir = new TempDirectory();
        var acked = await RunAndKillAsync(dir.Path, minimumAcks: 100);

        var logger = new ListLogger<ShadowService>();
        using var service = new ShadowService(
            new ShadowStore(dir.Path, new ListLogger<ShadowStore>()), new LocalPubSub(), TimeProvider.System, logger);
        var document = JsonNode.Parse(await service.GetAsync(Thing, "", CancellationToken.None))!;

        var version = document["version"]!.GetValue<long>();
        var counter = document["state"]!["reported"]!["counter"]!.GetValue<long>();
        Assert.True(version >= acked, $"version {version} is behind the last acknowledged update {acked}");
        Assert.Equal(version, counter);
        Assert.Equal(counter * 37 % 3000, document["state"]!["reported"]!["pad"]!.GetValue<string>().Length);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
        logger.AssertNoErrors();
    }

    private static async Task<int> RunAndKillAsync(string path, int minimumAcks)
    {
        var assembly = typeof(CrashHelperProgram).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [assembly, CrashHelperProgram.ShadowWriter, path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var helper = Process.Start(start)!;
        var lastAck = 0;
        try
        {
            while (lastAck < minimumAcks && await helper.StandardOutput.ReadLineAsync() is { } line)
            {
                lastAck = int.Parse(line["ack ".Length..], CultureInfo.InvariantCulture);
            }

            if (lastAck < minimumAcks)
            {
                Assert.Fail($"helper ended after {lastAck} updates: {await helper.StandardError.ReadToEndAsync()}");
            }
        }
        finally
        {
            helper.Kill();
            await helper.WaitForExitAsync();
        }

        return lastAck;
    }
}
