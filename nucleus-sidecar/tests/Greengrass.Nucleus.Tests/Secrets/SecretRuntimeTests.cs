using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Tests.Ipc;
using Greengrass.Nucleus.Tests.Runtime;
using static Greengrass.Nucleus.Tests.Secrets.SecretFixture;

namespace Greengrass.Nucleus.Tests.Secrets;

/// <summary>
/// The runtime's secret manager: the sample <c>com.example.SecretReader</c> (npm SDK client) deployed with
/// <c>aws.greengrass.SecretManager</c>, whose <c>cloudSecrets</c> decides what is served.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class SecretRuntimeTests : IDisposable
{
    private const string Reader = "com.example.SecretReader";
    private const string Value = "runtime-secret-value";
    private readonly SecretFixture _mounts = new();

    public void Dispose() => _mounts.Dispose();

    private static JsonObject Merge(JsonObject value) => new() { ["MERGE"] = value };

    /// <summary>Deploys the reader (and through its dependency SecretManager, listing <paramref name="cloudSecrets"/>); returns what the reader wrote.</summary>
    private async Task<JsonElement> ReadAsync(params string[] cloudSecrets)
    {
        await using var fixture = await RuntimeFixture.StartWithSecretsAsync(_mounts.Mount(DbArn, "db", Key("secretString", Value)));
        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Reader], configuration: new()
        {
            [Reader] = Merge(new JsonObject { ["peersDir"] = NodePeer.PeersDirectory }),
            ["aws.greengrass.SecretManager"] = Merge(new JsonObject
            {
                ["cloudSecrets"] = new JsonArray([.. cloudSecrets.Select(arn => (JsonNode)new JsonObject { ["arn"] = arn })]),
            }),
        }));
        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
        await fixture.WaitForStateAsync(Reader, ComponentState.Finished);
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Message.Contains(Value, StringComparison.Ordinal));
        return JsonDocument.Parse(await File.ReadAllTextAsync(fixture.WorkFile(Reader, "result.json"))).RootElement.Clone();
    }

    [SdkFact]
    public async Task Reader_SecretManagerListsTheArn_GetsTheMountedValueByName()
    {
        var read = await ReadAsync(DbArn);

        Assert.Equal(DbArn, read.GetProperty("secretId").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Value))), read.GetProperty("sha256").GetString());
    }

    [SdkFact]
    public async Task Reader_SecretManagerListsNothing_MappedSecretIsNotFound() =>
        Assert.Equal("ResourceNotFoundError", (await ReadAsync()).GetProperty("error").GetString());
}
