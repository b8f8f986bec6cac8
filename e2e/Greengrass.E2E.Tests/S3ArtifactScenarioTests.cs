using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using Greengrass.Peers;
using k8s;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.E2E.Tests;

/// <summary>
/// CoreDevice <c>spec.aws</c> on the cluster: a Secret with the device's AWS keys, mounted by the operator into the real
/// nucleus pod; recipes with unchanged <c>s3://bucket/key</c> artifacts (with digests) downloaded from the signature-checking
/// S3-compatible peer (<c>e2e/peers/s3-server.js</c>); <c>aws.greengrass.TokenExchangeService</c> serving the same keys to an
/// unmodified <c>@aws-sdk/client-s3</c> component; a wrong key and a missing Secret reported where users look.
/// </summary>
public sealed class S3ArtifactScenarioTests(NucleusCluster cluster) : IClassFixture<NucleusCluster>
{
    private const string Node = "edge-node-1";
    private const string Bucket = "edge-artifacts";
    private const string ScriptKey = "tools/1.0.0/hello.sh";
    private const string Script = "com.example.S3Script";
    private const string Reader = "com.example.S3Reader";
    private const string TokenExchange = "aws.greengrass.TokenExchangeService";
    private static readonly byte[] ScriptBody = Encoding.UTF8.GetBytes("#!/bin/sh\necho \"fetched from s3 for $AWS_REGION\" > ran.txt\n");

    private GreengrassCluster Gg => cluster.Gg;

    private static Task<S3Peer> StartS3Async() => S3Peer.StartAsync(Bucket, new Dictionary<string, byte[]>
    {
        [ScriptKey] = ScriptBody,
        ["hello.txt"] = "hello from the bucket"u8.ToArray(),
    });

    /// <summary>A Component whose only artifact is <c>s3://edge-artifacts/tools/1.0.0/hello.sh</c> with its SHA-256 digest.</summary>
    private static Component ScriptComponent(string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{Script.ToLowerInvariant()}-1.0.0", NamespaceProperty = ns },
        Spec = new ComponentSpec
        {
            RecipeFormatVersion = "2020-01-25",
            ComponentName = Script,
            ComponentVersion = "1.0.0",
            Manifests =
            [
                new ComponentManifest
                {
                    Platform = new Dictionary<string, string> { ["os"] = "linux" },
                    Lifecycle = new JsonObject { ["Run"] = "sh {artifacts:path}/hello.sh" },
                    Artifacts =
                    [
                        new ComponentArtifact
                        {
                            Uri = $"s3://{Bucket}/{ScriptKey}", Digest = Convert.ToBase64String(SHA256.HashData(ScriptBody)), Algorithm = "SHA-256",
                        },
                    ],
                },
            ],
        },
    };

    private async Task SecretAsync(string ns, string name, string secretAccessKey) =>
        await Gg.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            StringData = new Dictionary<string, string> { ["accessKeyId"] = S3Peer.AccessKeyId, ["secretAccessKey"] = secretAccessKey },
        }, ns);

    private static CoreDevice AwsCoreDevice(string ns, string name, string secret, string endpoint, string fleet)
    {
        var device = Resources.CoreDevice(ns, name, name.Replace("-", "", StringComparison.Ordinal), Node, new Dictionary<string, string> { ["fleet"] = fleet });
        device.Spec.Aws = new AwsAccess
        {
            Region = "eu-central-1",
            Credentials = new AwsCredentialsSource { SecretRef = new SecretReference { Name = secret } },
            S3 = new S3Access { Endpoint = endpoint },
        };
        return device;
    }

    [Fact]
    public async Task AwsSpec_S3ArtifactAndTokenExchange_ComponentsFinishWithTheSecretsCredentials()
    {
        const string ns = "s3-artifacts";
        const string device = "edge-s3";
        await using var s3 = await StartS3Async();
        await Gg.CreateNamespaceAsync(ns);
        await SecretAsync(ns, "edge-s3-aws", S3Peer.SecretAccessKey);
        await Gg.CreateAsync(ScriptComponent(ns), GreengrassApi.ComponentPlural);
        await RecipeImport.ApplyAsync(Gg, ns, RecipeImport.FixtureRecipe($"{TokenExchange}-2.0.3.yaml"), RecipeImport.FixtureRecipe($"{Reader}-1.0.0.yaml"));
        var deployment = Resources.DeploymentToSelector(ns, "s3-apps", new Dictionary<string, string> { ["fleet"] = "s3" }, (Script, "1.0.0"), (Reader, "1.0.0"));
        deployment.Spec.Components![Reader].ConfigurationUpdate = new ConfigurationUpdate
        {
            Merge = new JsonObject { ["peersDir"] = S3Peer.PeersDirectory, ["s3Endpoint"] = s3.Endpoint, ["bucket"] = Bucket, ["key"] = "hello.txt" },
        };
        await Gg.CreateAsync(deployment, GreengrassApi.DeploymentPlural);
        await Gg.CreateAsync(AwsCoreDevice(ns, device, "edge-s3-aws", s3.Endpoint, "s3"), GreengrassApi.CoreDevicePlural);

        var done = await cluster.DeviceAsync(ns, device,
            d => d.Status?.LastDeployment?.Status == "SUCCEEDED" && NucleusCluster.AllReady(d, TokenExchange)
                && NucleusCluster.State(d, Script) == ComponentStates.Finished && NucleusCluster.State(d, Reader) == ComponentStates.Finished
                && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready),
            "the S3 deployment SUCCEEDED, S3Script and S3Reader FINISHED, the token exchange service running or finished", TimeSpan.FromSeconds(180));
        Assert.Equal(3, done.Status!.Components!.Count);

        // The s3:// artifact: signed by the nucleus with the mounted Secret, accepted by the SDK signer's check, digest verified.
        Assert.Equal("fetched from s3 for eu-central-1\n", await File.ReadAllTextAsync(Path.Combine(cluster.WorkPath(Node, ns, device, Script), "ran.txt")));
        Assert.Contains(($"GET /{Bucket}/{ScriptKey}", "match"), s3.Checked);
        // The SDK component: its default credential chain found the token exchange service and signed with what it served.
        var readerLog = await File.ReadAllTextAsync(cluster.LogPath(Node, ns, device, Reader));
        Assert.Contains("hello from the bucket", readerLog, StringComparison.Ordinal);
        Assert.Contains("\"keys\":[\"hello.txt\",\"tools/1.0.0/hello.sh\"]", readerLog, StringComparison.Ordinal);
        Assert.Contains(($"GET /{Bucket}/hello.txt", "match"), s3.Checked);
        Assert.DoesNotContain(s3.Checked, c => c.Verdict != "match");

        var applied = await Eventually.Value(async () =>
        {
            var d = await Gg.GetAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "s3-apps");
            return d?.Status?.Devices?.Succeeded == 1 && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready) ? d : null;
        }, "the Deployment Ready with the device succeeded", TimeSpan.FromSeconds(120));
        Assert.Equal(DeploymentPhases.Succeeded, applied.Status!.Phase);
        var pod = await cluster.PodAsync(ns, $"{device}-nucleus", _ => true, "exists");
        Assert.DoesNotContain(S3Peer.SecretAccessKey, KubernetesJson.Serialize(pod), StringComparison.Ordinal);
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task AwsSpec_WrongSecretKey_DeploymentFailsNamingTheS3Error_WithoutTheSecret()
    {
        const string ns = "s3-wrong-key";
        const string device = "edge-s3-wrong";
        const string wrongSecret = "not-the-right-secret/Zm9vYmFy";
        await using var s3 = await StartS3Async();
        await Gg.CreateNamespaceAsync(ns);
        await SecretAsync(ns, "edge-s3-aws", wrongSecret);
        await Gg.CreateAsync(ScriptComponent(ns), GreengrassApi.ComponentPlural);
        await Gg.CreateAsync(Resources.DeploymentToSelector(ns, "s3-apps", new Dictionary<string, string> { ["fleet"] = "s3-wrong" }, (Script, "1.0.0")),
            GreengrassApi.DeploymentPlural);
        await Gg.CreateAsync(AwsCoreDevice(ns, device, "edge-s3-aws", s3.Endpoint, "s3-wrong"), GreengrassApi.CoreDevicePlural);

        var failed = await cluster.DeviceAsync(ns, device,
            d => d.Status?.LastDeployment?.Status.StartsWith("FAILED", StringComparison.Ordinal) == true
                && Conditions.Find(d.Status.Conditions, ConditionTypes.Ready) is { Status: ConditionStatuses.False, Reason: "DeploymentFailed" },
            "the deployment FAILED and the device not Ready because of it", TimeSpan.FromSeconds(180));
        var ready = Conditions.Find(failed.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Contains("S3_GET_OBJECT_ACCESS_DENIED", ready.Message, StringComparison.Ordinal);
        Assert.Contains("SignatureDoesNotMatch", ready.Message, StringComparison.Ordinal);
        Assert.Contains("SignatureDoesNotMatch", failed.Status.LastDeployment!.FailureCause, StringComparison.Ordinal);
        Assert.Contains(($"GET /{Bucket}/{ScriptKey}", "mismatch"), s3.Checked);
        var status = KubernetesJson.Serialize(failed.Status);
        Assert.DoesNotContain(wrongSecret, status, StringComparison.Ordinal);
        Assert.DoesNotContain(S3Peer.SecretAccessKey, status, StringComparison.Ordinal);

        var deployment = await Eventually.Value(async () =>
        {
            var d = await Gg.GetAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "s3-apps");
            return d?.Status?.Devices?.Failed == 1 ? d : null;
        }, "the Deployment counting the failed device", TimeSpan.FromSeconds(120));
        Assert.Equal(DeploymentPhases.Failed, deployment.Status!.Phase);
        Assert.DoesNotContain(wrongSecret, KubernetesJson.Serialize(deployment.Status), StringComparison.Ordinal);
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task AwsSpec_CredentialsSecretMissing_CoreDeviceStalledNamingIt_ReadyOnceCreated()
    {
        const string ns = "s3-missing-secret";
        const string device = "edge-s3-nosecret";
        await Gg.CreateNamespaceAsync(ns);
        await Gg.CreateAsync(AwsCoreDevice(ns, device, "edge-late-aws", "http://127.0.0.1:9", "s3-missing"), GreengrassApi.CoreDevicePlural);

        var stalled = await cluster.DeviceAsync(ns, device,
            d => Conditions.Find(d.Status?.Conditions, ConditionTypes.Stalled) is { Status: ConditionStatuses.True, Reason: ConditionReasons.SecretNotFound },
            "Stalled with SecretNotFound");
        var ready = Conditions.Find(stalled.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal((ConditionStatuses.False, ConditionReasons.SecretNotFound), (ready.Status, ready.Reason));
        Assert.StartsWith("spec.aws.credentials.secretRef.name: Secret \"edge-late-aws\" not found", ready.Message, StringComparison.Ordinal);
        // The pod exists and waits on its volume, as a kubelet keeps it until the Secret can be mounted.
        var pod = await cluster.PodAsync(ns, $"{device}-nucleus", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting is not null, "waiting");
        Assert.Contains("edge-late-aws", pod.Status.ContainerStatuses.Single().State.Waiting.Message, StringComparison.Ordinal);

        await SecretAsync(ns, "edge-late-aws", S3Peer.SecretAccessKey);

        var recovered = await cluster.DeviceAsync(ns, device,
            d => Conditions.IsTrue(d.Status?.Conditions, ConditionTypes.Ready) && Conditions.Find(d.Status!.Conditions, ConditionTypes.Stalled) is null,
            "Ready, no longer Stalled, once the Secret exists", TimeSpan.FromSeconds(180));
        Assert.Equal(DeviceHealth.Healthy, recovered.Status!.Health);
        Gg.AssertNoOperatorErrors();
    }
}
