using Greengrass.Nucleus.Ipc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>Every operation, fed hostile payloads, answers with a modelled error and keeps the connection.</summary>
public sealed class IpcBadInputTests
{
    private static readonly string[] Payloads =
    [
        "[]",
        "5",
        "\"text\"",
        "null",
        "{",
        """{"topic":5,"keyPath":"a","valueToMerge":5,"componentName":7,"state":1,"configurationValidityReport":3,"publishMessage":[],"timestamp":"x","recheckAfterMs":"x","deploymentId":4,"topicName":[],"qos":2}""",
        """{"topic":"","topicName":"","keyPath":[null],"valueToMerge":{},"timestamp":-1,"componentName":"","deploymentId":""}""",
        """{"keyPath":[],"valueToMerge":{"k":2},"timestamp":1e300}""",
        """{"keyPath":["k", null],"valueToMerge":{"k":{"x":1}},"timestamp":1e300,"componentName":"A","recheckAfterMs":-5}""",
        """{"publishMessage":{"jsonMessage":null,"binaryMessage":{"message":5}},"configurationValidityReport":{"status":"MAYBE"}}""",
        """{"thingName":"t","shadowName":"../x","payload":"e30=","pageSize":-1,"nextToken":"%%"}""",
        """{"thingName":"t","payload":"eyJzdGF0ZSI6eyJkZXNpcmVkIjp7ImEiOnsiYiI6bnVsbH19fSwidmVyc2lvbiI6OX0="}""",
    ];

    [Fact]
    public async Task EveryOperation_HostilePayloads_GetModelledErrorsAndConnectionSurvives()
    {
        using var shadows = new TestSupport.TempDirectory();
        await using var host = await IpcTestHost.StartAsync(services: s => s.AddSingleton<Nucleus.Shadows.IShadowServiceAccess>(sp =>
            new Nucleus.Shadows.FixedShadowService(new Nucleus.Shadows.ShadowService(
                new Nucleus.Shadows.ShadowStore(shadows.Path, sp.GetRequiredService<ILogger<Nucleus.Shadows.ShadowStore>>()),
                sp.GetRequiredService<Nucleus.Ipc.Services.LocalPubSub>(), TimeProvider.System,
                sp.GetRequiredService<ILogger<Nucleus.Shadows.ShadowService>>()))));
        var token = host.AddComponent("A", """
            {"aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["*"]}},
             "aws.greengrass.ShadowManager": {"p": {"operations": ["*"], "resources": ["*"]}},
             "aws.greengrass.ipc.mqttproxy": {"p": {"operations": ["*"], "resources": ["*"]}},
             "aws.greengrass.Cli": {"p": {"operations": ["*"], "resources": ["*"]}}}
            """);
        await host.Configuration.MergeAsync("A", [], new System.Text.Json.Nodes.JsonObject { ["k"] = 1 }, DateTimeOffset.UnixEpoch, CancellationToken.None);
        await using var client = await ConnectAsync(host.SocketPath, token);
        var operations = DispatcherOperations(host);
        Assert.True(operations.Count >= 19, string.Join(", ", operations));

        foreach (var operation in operations)
        {
            foreach (var payload in Payloads)
            {
                var (id, frames) = await client.CallCollectingAsync(operation[IpcFrames.ShapePrefix.Length..], payload, 1);
                var reply = Assert.Single(frames);
                Assert.Equal(id, StreamId(reply));
                Assert.True(
                    Header(reply, ":content-type") == IpcFrames.JsonContentType,
                    $"{operation} with {payload} was answered with {Header(reply, ":content-type")}: {System.Text.Encoding.UTF8.GetString(reply.Payload.Span)}");
                if (Type(reply) == IpcMessageType.ApplicationError)
                {
                    Assert.StartsWith(IpcFrames.ShapePrefix, Header(reply, "service-model-type"));
                }
                else if (Flags(reply) == IpcMessageFlags.None)
                {
                    // A subscription accepted a lenient payload: close it again so its events do not interleave.
                    await client.SendAsync(Request(id, null, "", IpcMessageFlags.TerminateStream));
                }
            }
        }

        Assert.Empty(host.LoggedErrors);
    }

    private static List<string> DispatcherOperations(IpcTestHost host) =>
        [.. host.Services.GetRequiredService<IpcOperationDispatcher>().Operations.Order(StringComparer.Ordinal)];
}
