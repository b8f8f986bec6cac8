using Greengrass.Api;
using Greengrass.Operator.Devices;

namespace Greengrass.Operator.Tests.Devices;

public sealed class AwsAccessPodTests
{
    private static readonly NucleusPodSettings Settings = new("nucleus:1", "1.0.0");

    private static CoreDevice WithAws(string secret = "edge-aws", string? endpoint = null) => DeviceBuildersTests.Device(configure: s => s.Aws = new AwsAccess
    {
        Region = "eu-west-1",
        Credentials = new AwsCredentialsSource { SecretRef = new SecretReference { Name = secret } },
        S3 = endpoint is null ? null : new S3Access { Endpoint = endpoint },
    });

    [Fact]
    public void NucleusPod_WithAwsCredentials_MountsTheSecretReadOnlyAndNamesDirectoryAndRegion()
    {
        var pod = NucleusPodBuilder.Build(WithAws(), Settings);

        var volume = Assert.Single(pod.Spec.Volumes, v => v.Name == "aws-credentials");
        Assert.Equal("edge-aws", volume.Secret.SecretName);
        Assert.Equal(Convert.ToInt32("0440", 8), volume.Secret.DefaultMode);
        var container = Assert.Single(pod.Spec.Containers);
        var mount = Assert.Single(container.VolumeMounts, m => m.Name == "aws-credentials");
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal(AwsAccessPodBuilder.CredentialsMountPath, mount.MountPath);
        Assert.Equal(AwsAccessPodBuilder.CredentialsMountPath, Assert.Single(container.Env, e => e.Name == AwsAccessPodBuilder.CredentialsDirEnv).Value);
        Assert.Equal("eu-west-1", Assert.Single(container.Env, e => e.Name == AwsAccessPodBuilder.RegionEnv).Value);
        Assert.DoesNotContain(container.Env, e => e.Name == AwsAccessPodBuilder.S3EndpointEnv);
    }

    [Fact]
    public void NucleusPod_WithS3Endpoint_PassesTheEndpoint()
    {
        var pod = NucleusPodBuilder.Build(WithAws(endpoint: "http://minio.edge:9000"), Settings);

        Assert.Equal("http://minio.edge:9000", Assert.Single(pod.Spec.Containers[0].Env, e => e.Name == AwsAccessPodBuilder.S3EndpointEnv).Value);
    }

    [Fact]
    public void NucleusPod_WithoutAws_HasNoCredentialsMountOrAwsEnvironment()
    {
        var pod = NucleusPodBuilder.Build(DeviceBuildersTests.Device(), Settings);

        Assert.DoesNotContain(pod.Spec.Volumes, v => v.Name == "aws-credentials");
        Assert.DoesNotContain(pod.Spec.Containers[0].Env, e => e.Name.StartsWith("GG_AWS_", StringComparison.Ordinal) || e.Name == AwsAccessPodBuilder.S3EndpointEnv);
    }

    [Fact]
    public void NucleusPod_CredentialsSecretChanged_IsReplaced()
    {
        Assert.True(NucleusPodBuilder.NeedsReplacement(NucleusPodBuilder.Build(WithAws("a"), Settings), NucleusPodBuilder.Build(WithAws("b"), Settings)));
    }

    [Fact]
    public void NucleusPod_WithAwsCredentials_CarriesNoSecretValueAnywhere()
    {
        // The operator only names the Secret; its values reach the pod through the kubelet.
        var text = k8s.KubernetesJson.Serialize(NucleusPodBuilder.Build(WithAws(), Settings));

        Assert.DoesNotContain("accessKeyId", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secretAccessKey", text, StringComparison.OrdinalIgnoreCase);
    }
}
