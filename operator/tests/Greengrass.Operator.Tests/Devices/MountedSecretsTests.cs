using Greengrass.Api;
using Greengrass.Operator.Devices;

namespace Greengrass.Operator.Tests.Devices;

public sealed class MountedSecretsTests
{
    private static readonly NucleusPodSettings Settings = new("nucleus:1", "1.0.0");

    private static CoreDevice Full() => DeviceBuildersTests.Device(configure: s =>
    {
        s.Aws = new AwsAccess { Region = "eu-west-1", Credentials = new AwsCredentialsSource { SecretRef = new SecretReference { Name = "edge-aws" } } };
        s.Mqtt = new MqttSettings { Upstream = new MqttUpstream { Endpoint = "broker.example", CertificateSecretRef = new SecretReference { Name = "upstream-tls" } } };
    });

    [Fact]
    public void Of_AwsAndUpstream_NamesEachSecretWithItsField()
    {
        var secrets = MountedSecrets.Of(Full().Spec);

        Assert.Equal(
            [new MountedSecret("spec.aws.credentials.secretRef.name", "edge-aws"), new MountedSecret("spec.mqtt.upstream.certificateSecretRef.name", "upstream-tls")],
            secrets);
    }

    [Fact]
    public void Of_UpstreamWithoutItsOwnSecret_NamesTheIdentitySecret()
    {
        var device = DeviceBuildersTests.Device(configure: s =>
        {
            s.Identity = new DeviceIdentity { CertificateSecretRef = new SecretReference { Name = "edge-identity" } };
            s.Mqtt = new MqttSettings { Upstream = new MqttUpstream { Endpoint = "broker.example" } };
        });

        Assert.Equal([new MountedSecret("spec.identity.certificateSecretRef.name", "edge-identity")], MountedSecrets.Of(device.Spec));
    }

    [Fact]
    public void Of_NoAwsNoUpstream_IsEmpty() => Assert.Empty(MountedSecrets.Of(DeviceBuildersTests.Device().Spec));

    [Fact]
    public void Of_CoversEverySecretVolumeOfTheNucleusPod_ButTheOperatorsOwnCa()
    {
        var device = Full();
        var mounted = NucleusPodBuilder.Build(device, Settings).Spec.Volumes
            .Where(v => v.Secret is not null && v.Secret.SecretName != DeviceNames.CaSecret(device.Metadata.Name))
            .Select(v => v.Secret.SecretName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(mounted, MountedSecrets.Of(device.Spec).Select(s => s.Name).Order(StringComparer.Ordinal));
    }
}
