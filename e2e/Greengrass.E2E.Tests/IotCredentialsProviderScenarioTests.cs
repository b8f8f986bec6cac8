using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using Greengrass.Peers;
using k8s;
using k8s.Models;

namespace Greengrass.E2E.Tests;

/// <summary>
/// CoreDevice <c>spec.aws.credentials.iotCredentialsProvider</c> on the cluster: the real nucleus pod authenticates to a
/// stand-in for the AWS IoT credentials provider (mTLS Kestrel, see <see cref="IotCredentialsProviderStandIn"/>; the real
/// endpoint is unreachable here) with the certificate of the CoreDevice's identity Secret, downloads an unchanged
/// <c>s3://</c> artifact signed with the temporary credentials it was issued, and serves them through
/// <c>aws.greengrass.TokenExchangeService</c> to an unmodified <c>@aws-sdk/client-s3</c> component. The S3 peer reports
/// the session token each request was signed with, which tells the provider's credentials from any other.
/// </summary>
public sealed class IotCredentialsProviderScenarioTests(NucleusCluster cluster) : IClassFixture<NucleusCluster>
{
    private const string Node = "edge-node-1";
    private const string RoleAlias = "EdgeTokenExchangeRoleAlias";

    private GreengrassCluster Gg => cluster.Gg;

    private static CoreDevice ProviderCoreDevice(string ns, string name, string? identitySecret, string endpoint, string s3Endpoint, string fleet)
    {
        var device = Resources.CoreDevice(ns, name, Thing(name), Node, new Dictionary<string, string> { ["fleet"] = fleet });
        device.Spec.Identity = identitySecret is null ? null : new DeviceIdentity { CertificateSecretRef = new SecretReference { Name = identitySecret } };
        device.Spec.Aws = new AwsAccess
        {
            Region = "eu-central-1",
            Credentials = new AwsCredentialsSource { IotCredentialsProvider = new IotCredentialsProvider { Endpoint = endpoint, RoleAlias = RoleAlias } },
            S3 = new S3Access { Endpoint = s3Endpoint },
        };
        return device;
    }

    private static string Thing(string device) => device.Replace("-", "", StringComparison.Ordinal);

    private async Task IdentitySecretAsync(string ns, string name, IotCredentialsProviderStandIn provider) =>
        await Gg.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Type = "kubernetes.io/tls",
            StringData = provider.Pki.IdentityFiles(),
        }, ns);

    [Fact]
    public async Task CredentialsProvider_S3ArtifactAndTokenExchange_UseTheIssuedTemporaryCredentials()
    {
        const string ns = "iot-creds";
        const string device = "edge-iotcreds";
        await using var s3 = await S3ArtifactScenarioTests.StartS3Async();
        // The stand-in issues the keys the S3 peer knows, each time with a new session token.
        await using var provider = await IotCredentialsProviderStandIn.StartAsync(RoleAlias, Thing(device), S3Peer.AccessKeyId, S3Peer.SecretAccessKey);
        await Gg.CreateNamespaceAsync(ns);
        await IdentitySecretAsync(ns, "edge-iotcreds-identity", provider);
        await Gg.CreateAsync(S3ArtifactScenarioTests.ScriptComponent(ns), GreengrassApi.ComponentPlural);
        await RecipeImport.ApplyAsync(Gg, ns, RecipeImport.FixtureRecipe($"{S3ArtifactScenarioTests.TokenExchange}-2.0.3.yaml"),
            RecipeImport.FixtureRecipe($"{S3ArtifactScenarioTests.Reader}-1.0.0.yaml"));
        var deployment = Resources.DeploymentToSelector(ns, "iotcreds-apps", new Dictionary<string, string> { ["fleet"] = "iotcreds" },
            (S3ArtifactScenarioTests.Script, "1.0.0"), (S3ArtifactScenarioTests.Reader, "1.0.0"));
        deployment.Spec.Components![S3ArtifactScenarioTests.Reader].ConfigurationUpdate = new ConfigurationUpdate
        {
            Merge = new JsonObject { ["peersDir"] = S3Peer.PeersDirectory, ["s3Endpoint"] = s3.Endpoint, ["bucket"] = S3ArtifactScenarioTests.Bucket, ["key"] = "hello.txt" },
        };
        await Gg.CreateAsync(deployment, GreengrassApi.DeploymentPlural);
        await Gg.CreateAsync(ProviderCoreDevice(ns, device, "edge-iotcreds-identity", provider.Endpoint, s3.Endpoint, "iotcreds"), GreengrassApi.CoreDevicePlural);

        var done = await cluster.DeviceAsync(ns, device,
            d => d.Status?.LastDeployment?.Status == "SUCCEEDED" && NucleusCluster.AllReady(d, S3ArtifactScenarioTests.TokenExchange)
                && NucleusCluster.State(d, S3ArtifactScenarioTests.Script) == ComponentStates.Finished
                && NucleusCluster.State(d, S3ArtifactScenarioTests.Reader) == ComponentStates.Finished
                && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready),
            "the deployment SUCCEEDED, S3Script and S3Reader FINISHED, the token exchange service running or finished", TimeSpan.FromSeconds(180));
        Assert.Equal(3, done.Status!.Components!.Count);

        // Every request to the provider: the role alias's path, the CoreDevice's thing name, the identity Secret's certificate.
        Assert.NotEmpty(provider.Requests);
        Assert.All(provider.Requests, r => Assert.Equal(($"/role-aliases/{RoleAlias}/credentials", Thing(device), "CN=stand-in-device"), r));
        var issued = Enumerable.Range(1, provider.Requests.Count).Select(IotCredentialsProviderStandIn.SessionTokenOf).ToHashSet();
        // The s3:// artifact, signed by the nucleus with issued temporary credentials; the SDK component's requests,
        // signed with what the token exchange service served it: issued temporary credentials too.
        var artifact = Assert.Single(s3.SignedSessionTokens, t => t.Request == $"GET /{S3ArtifactScenarioTests.Bucket}/{S3ArtifactScenarioTests.ScriptKey}");
        Assert.Contains(artifact.SessionToken, issued);
        var read = Assert.Single(s3.SignedSessionTokens, t => t.Request == $"GET /{S3ArtifactScenarioTests.Bucket}/hello.txt");
        Assert.Contains(read.SessionToken, issued);
        Assert.DoesNotContain(s3.Checked, c => c.Verdict != "match");
        var readerLog = await File.ReadAllTextAsync(cluster.LogPath(Node, ns, device, S3ArtifactScenarioTests.Reader));
        Assert.Contains("hello from the bucket", readerLog, StringComparison.Ordinal);

        // The pod names the identity Secret and the provider; no key or secret is in it.
        var pod = KubernetesJson.Serialize(await cluster.PodAsync(ns, $"{device}-nucleus", _ => true, "exists"));
        Assert.Contains("edge-iotcreds-identity", pod, StringComparison.Ordinal);
        Assert.Contains(provider.Endpoint, pod, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", pod, StringComparison.Ordinal);
        Assert.DoesNotContain(S3Peer.SecretAccessKey, pod, StringComparison.Ordinal);
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task CredentialsProvider_IdentitySecretMissing_CoreDeviceStalledNamingIt()
    {
        const string ns = "iot-creds-missing";
        const string device = "edge-iotcreds-nosecret";
        await Gg.CreateNamespaceAsync(ns);
        await Gg.CreateAsync(ProviderCoreDevice(ns, device, "edge-late-identity", "127.0.0.1:9", "http://127.0.0.1:9", "iotcreds-missing"), GreengrassApi.CoreDevicePlural);

        var why = await cluster.StalledAsync(ns, device, ConditionReasons.SecretNotFound);

        Assert.StartsWith("spec.identity.certificateSecretRef.name: Secret \"edge-late-identity\" not found", why, StringComparison.Ordinal);
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task CredentialsProvider_WithoutIdentity_CoreDeviceStalledAsInvalidSpecNamingTheField()
    {
        const string ns = "iot-creds-invalid";
        const string device = "edge-iotcreds-noidentity";
        await Gg.CreateNamespaceAsync(ns);
        await Gg.CreateAsync(ProviderCoreDevice(ns, device, null, "127.0.0.1:9", "http://127.0.0.1:9", "iotcreds-invalid"), GreengrassApi.CoreDevicePlural);

        var why = await cluster.StalledAsync(ns, device, ConditionReasons.InvalidSpec);

        Assert.StartsWith("spec.aws.credentials.iotCredentialsProvider: needs spec.identity.certificateSecretRef", why, StringComparison.Ordinal);
        Gg.AssertNoOperatorErrors();
    }
}
