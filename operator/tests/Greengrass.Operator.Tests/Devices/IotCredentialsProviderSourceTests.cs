using Greengrass.Api;
using Greengrass.Model.Platforms;
using Greengrass.Operator.Devices;
using Greengrass.Operator.Tests.Support;

namespace Greengrass.Operator.Tests.Devices;

/// <summary>The AWS IoT credentials provider source of <c>spec.aws.credentials</c>: validation, pod and mounted Secrets.</summary>
public sealed class IotCredentialsProviderSourceTests
{
    private static readonly NucleusPodSettings Settings = new("nucleus:1", "1.0.0");

    private static CoreDevice WithProvider(string? identity = "edge-identity", string endpoint = "c2abc.credentials.iot.eu-west-1.amazonaws.com",
        string roleAlias = "GreengrassV2TokenExchangeRoleAlias", Action<CoreDeviceSpec>? more = null) =>
        DeviceBuildersTests.Device(configure: s =>
        {
            s.Identity = identity is null ? null : new DeviceIdentity { CertificateSecretRef = new SecretReference { Name = identity } };
            s.Aws = new AwsAccess
            {
                Region = "eu-west-1",
                Credentials = new AwsCredentialsSource { IotCredentialsProvider = new IotCredentialsProvider { Endpoint = endpoint, RoleAlias = roleAlias } },
            };
            more?.Invoke(s);
        });

    [Fact]
    public void NucleusPod_WithCredentialsProvider_MountsTheIdentitySecretReadOnlyAndPassesEndpointAndRoleAlias()
    {
        var pod = NucleusPodBuilder.Build(WithProvider(), Settings);

        var volume = Assert.Single(pod.Spec.Volumes, v => v.Name == "device-identity");
        Assert.Equal("edge-identity", volume.Secret.SecretName);
        Assert.Equal(Convert.ToInt32("0440", 8), volume.Secret.DefaultMode);
        var container = pod.Spec.Containers[0];
        var mount = Assert.Single(container.VolumeMounts, m => m.Name == "device-identity");
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal(AwsAccessPodBuilder.IdentityMountPath, mount.MountPath);
        string Env(string name) => Assert.Single(container.Env, e => e.Name == name).Value;
        Assert.Equal(AwsAccessPodBuilder.IdentityMountPath, Env(AwsAccessPodBuilder.IdentityDirEnv));
        Assert.Equal("c2abc.credentials.iot.eu-west-1.amazonaws.com", Env(AwsAccessPodBuilder.IotCredentialsEndpointEnv));
        Assert.Equal("GreengrassV2TokenExchangeRoleAlias", Env(AwsAccessPodBuilder.IotRoleAliasEnv));
        Assert.DoesNotContain(pod.Spec.Volumes, v => v.Name == "aws-credentials");
        Assert.DoesNotContain(container.Env, e => e.Name == AwsAccessPodBuilder.CredentialsDirEnv);
    }

    [Fact]
    public void NucleusPod_RoleAliasChanged_IsReplaced() =>
        Assert.True(NucleusPodBuilder.NeedsReplacement(
            NucleusPodBuilder.Build(WithProvider(roleAlias: "a"), Settings), NucleusPodBuilder.Build(WithProvider(roleAlias: "b"), Settings)));

    [Fact]
    public void MountedSecrets_CredentialsProvider_NamesTheIdentitySecret() =>
        Assert.Equal([new MountedSecret("spec.identity.certificateSecretRef.name", "edge-identity")], MountedSecrets.Of(WithProvider().Spec));

    [Fact]
    public void MountedSecrets_CredentialsProviderAndUpstreamShareTheIdentity_NameItOnce()
    {
        var device = WithProvider(more: s => s.Mqtt = new MqttSettings { Upstream = new MqttUpstream { Endpoint = "broker.example" } });

        Assert.Equal([new MountedSecret("spec.identity.certificateSecretRef.name", "edge-identity")], MountedSecrets.Of(device.Spec));
        Assert.Equal(2, NucleusPodBuilder.Build(device, Settings).Spec.Volumes.Count(v => v.Secret?.SecretName == "edge-identity"));
    }

    [Fact]
    public void Validation_CredentialsProviderWithIdentity_IsValid() => Assert.Null(AwsAccessValidation.Error(WithProvider().Spec));

    [Theory]
    [InlineData("c2abc.credentials.iot.eu-west-1.amazonaws.com")]
    [InlineData("creds.edge.local:8443")]
    [InlineData("https://127.0.0.1:9443")]
    public void Validation_EndpointForms_AreAccepted(string endpoint) => Assert.Null(AwsAccessValidation.Error(WithProvider(endpoint: endpoint).Spec));

    [Fact]
    public void Validation_BothSources_NamesTheCredentialsField()
    {
        var device = WithProvider(more: s => s.Aws!.Credentials!.SecretRef = new SecretReference { Name = "edge-aws" });

        Assert.Equal("spec.aws.credentials: set exactly one of secretRef or iotCredentialsProvider", AwsAccessValidation.Error(device.Spec));
    }

    [Fact]
    public void Validation_NoSource_NamesTheCredentialsField()
    {
        var device = WithProvider(more: s => s.Aws!.Credentials = new AwsCredentialsSource());

        Assert.Equal("spec.aws.credentials: set exactly one of secretRef or iotCredentialsProvider", AwsAccessValidation.Error(device.Spec));
    }

    [Fact]
    public void Validation_CredentialsProviderWithoutIdentity_NamesBothFields()
    {
        var error = AwsAccessValidation.Error(WithProvider(identity: null).Spec);

        Assert.StartsWith("spec.aws.credentials.iotCredentialsProvider: needs spec.identity.certificateSecretRef", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://creds.example", "endpoint")]
    [InlineData("creds.example/role-aliases", "endpoint")]
    [InlineData("", "endpoint")]
    public void Validation_BadEndpoint_NamesTheField(string endpoint, string field) =>
        Assert.StartsWith($"spec.aws.credentials.iotCredentialsProvider.{field}:", AwsAccessValidation.Error(WithProvider(endpoint: endpoint).Spec), StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("role alias")]
    [InlineData("role/alias")]
    public void Validation_BadRoleAlias_NamesTheField(string roleAlias) =>
        Assert.StartsWith("spec.aws.credentials.iotCredentialsProvider.roleAlias:", AwsAccessValidation.Error(WithProvider(roleAlias: roleAlias).Spec), StringComparison.Ordinal);

    [Fact]
    public void DevicePlan_InvalidAwsCredentials_FailsAsInvalidSpecNamingTheField()
    {
        var device = WithProvider(identity: null);

        var result = DevicePlanBuilder.Build(new DevicePlanInput(device, [], [], DevicePlatform.Create("linux", "amd64"), null, DateTimeOffset.UnixEpoch));

        Assert.False(result.Succeeded);
        Assert.Equal(ConditionReasons.InvalidSpec, result.ErrorReason);
        Assert.Contains("spec.aws.credentials.iotCredentialsProvider", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Crd_Credentials_CarriesTheExactlyOneSourceRule()
    {
        var node = GeneratedCrds.Node(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("CoreDevice")), "spec.aws.credentials")!;

        var rule = Assert.Single(node["x-kubernetes-validations"]!.AsArray());
        Assert.Equal("(has(self.secretRef) ? 1 : 0) + (has(self.iotCredentialsProvider) ? 1 : 0) == 1", (string?)rule!["rule"]);
        Assert.Equal("set exactly one of secretRef or iotCredentialsProvider", (string?)rule["message"]);
        Assert.Null(node["required"]);
    }

    [Theory]
    [InlineData("c2abc.credentials.iot.eu-west-1.amazonaws.com", true)]
    [InlineData("https://c2abc.credentials.iot.eu-west-1.amazonaws.com", true)]
    [InlineData("127.0.0.1:8443", true)]
    [InlineData("http://creds.example", false)]
    [InlineData("creds.example/path", false)]
    [InlineData("-creds.example", false)]
    public void Pattern_IotCredentialsEndpoint_AcceptsHostsWithOptionalPortOnly(string value, bool accepted) =>
        Assert.Equal(accepted, System.Text.RegularExpressions.Regex.IsMatch(value, Patterns.IotCredentialsEndpoint));
}
