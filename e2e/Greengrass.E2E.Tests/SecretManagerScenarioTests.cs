using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using Greengrass.Peers;
using k8s;
using k8s.Models;

namespace Greengrass.E2E.Tests;

/// <summary>
/// CoreDevice <c>spec.secrets</c> on the cluster: a Kubernetes Secret mapped to a Secrets Manager ARN, mounted by the
/// operator into the real nucleus pod; <c>aws.greengrass.SecretManager</c> listing the ARN in <c>cloudSecrets</c>; an
/// unchanged component reading the secret by name with the npm aws-iot-device-sdk-v2 client and reporting its hash; a
/// component without a policy for it refused; a missing Secret reported on the CoreDevice.
/// </summary>
public sealed class SecretManagerScenarioTests(NucleusCluster cluster) : IClassFixture<NucleusCluster>
{
    private const string Node = "edge-node-1";
    private const string DbArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf";
    private const string SecretManager = "aws.greengrass.SecretManager";
    private const string Reader = "com.example.SecretReader";
    private const string Snooper = "com.example.SecretSnooper";
    private const string Password = "correct horse battery staple";

    private GreengrassCluster Gg => cluster.Gg;

    private static CoreDevice SecretsDevice(string ns, string name, string secret, string fleet)
    {
        var device = Resources.CoreDevice(ns, name, name.Replace("-", "", StringComparison.Ordinal), Node, new Dictionary<string, string> { ["fleet"] = fleet });
        device.Spec.Secrets = [new SecretMapping { Arn = DbArn, SecretRef = new SecretReference { Name = secret } }];
        return device;
    }

    /// <summary>The reader's recipe under another name and without its accessControl: it asks for the same secret.</summary>
    private static Component SnooperComponent(string ns) => NucleusCluster.Component(ns, Snooper, "1.0.0",
        new JsonObject { ["peersDir"] = S3Peer.PeersDirectory },
        ("Run", "node {configuration:/peersDir}/ipc-peer.js secret-sha256 db-password > result.json"));

    [Fact]
    public async Task SecretsSpec_ReaderGetsTheMappedValue_ComponentWithoutPolicyIsUnauthorized()
    {
        const string ns = "secrets";
        const string device = "edge-secrets";
        await Gg.CreateNamespaceAsync(ns);
        await Gg.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "db-password", NamespaceProperty = ns },
            StringData = new Dictionary<string, string> { ["secretString"] = Password, ["versionId"] = "v-1", ["versionStages"] = "AWSCURRENT,prod" },
        }, ns);
        await RecipeImport.ApplyAsync(Gg, ns, RecipeImport.FixtureRecipe($"{SecretManager}-2.2.2.yaml"), RecipeImport.FixtureRecipe($"{Reader}-1.0.0.yaml"));
        await Gg.CreateAsync(SnooperComponent(ns), GreengrassApi.ComponentPlural);
        var deployment = Resources.DeploymentToSelector(ns, "secret-apps", new Dictionary<string, string> { ["fleet"] = "secrets" },
            (SecretManager, "2.2.2"), (Reader, "1.0.0"), (Snooper, "1.0.0"));
        deployment.Spec.Components![SecretManager].ConfigurationUpdate = new ConfigurationUpdate
        {
            Merge = new JsonObject { ["cloudSecrets"] = new JsonArray(new JsonObject { ["arn"] = DbArn }) },
        };
        deployment.Spec.Components[Reader].ConfigurationUpdate = new ConfigurationUpdate { Merge = new JsonObject { ["peersDir"] = S3Peer.PeersDirectory } };
        await Gg.CreateAsync(deployment, GreengrassApi.DeploymentPlural);
        await Gg.CreateAsync(SecretsDevice(ns, device, "db-password", "secrets"), GreengrassApi.CoreDevicePlural);

        await cluster.DeviceAsync(ns, device,
            d => d.Status?.LastDeployment?.Status == "SUCCEEDED" && NucleusCluster.AllReady(d, SecretManager)
                && NucleusCluster.State(d, Reader) == ComponentStates.Finished && NucleusCluster.State(d, Snooper) == ComponentStates.Finished
                && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready),
            "the deployment SUCCEEDED and both readers FINISHED", TimeSpan.FromSeconds(180));

        var read = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(cluster.WorkPath(Node, ns, device, Reader), "result.json"))).RootElement;
        Assert.Equal(DbArn, read.GetProperty("secretId").GetString());
        Assert.Equal("v-1", read.GetProperty("versionId").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Password))), read.GetProperty("sha256").GetString());
        var denied = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(cluster.WorkPath(Node, ns, device, Snooper), "result.json"))).RootElement;
        Assert.Equal("UnauthorizedError", denied.GetProperty("error").GetString());
        Assert.Contains(DbArn, denied.GetProperty("serviceError").GetProperty("message").GetString(), StringComparison.Ordinal);

        // The value reaches the nucleus through the kubelet only: not in the pod, the plan or the device's status.
        var pod = await cluster.PodAsync(ns, $"{device}-nucleus", _ => true, "exists");
        var plan = await Gg.Client.CoreV1.ReadNamespacedConfigMapAsync($"{device}-plan", ns);
        var status = await Gg.GetAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, device);
        foreach (var text in new[] { KubernetesJson.Serialize(pod), KubernetesJson.Serialize(plan), KubernetesJson.Serialize(status) })
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }

        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task SecretsSpec_MappedSecretMissing_CoreDeviceStalledNamingTheField()
    {
        const string ns = "secrets-missing";
        const string device = "edge-secrets-missing";
        await Gg.CreateNamespaceAsync(ns);
        await Gg.CreateAsync(SecretsDevice(ns, device, "not-created", "secrets-missing"), GreengrassApi.CoreDevicePlural);

        var why = await cluster.StalledAsync(ns, device, ConditionReasons.SecretNotFound);

        Assert.StartsWith("spec.secrets[0].secretRef.name: Secret \"not-created\" not found", why, StringComparison.Ordinal);
        Gg.AssertNoOperatorErrors();
    }
}
