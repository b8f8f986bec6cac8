using Greengrass.Api;
using Greengrass.Operator.Devices;

namespace Greengrass.Operator.Tests.Devices;

public sealed class UpstreamCredentialsTests
{
    private static readonly NucleusPodSettings Settings = new("nucleus:1", "1.0.0");

    [Fact]
    public void NucleusPod_WithUpstream_MountsTheSecretReadOnlyAndNamesTheDirectory()
    {
        var device = DeviceBuildersTests.Device(configure: s => s.Mqtt = new MqttSettings
        {
            Upstream = new MqttUpstream { Endpoint = "iot.example.com", CertificateSecretRef = new SecretReference { Name = "upstream-tls" } },
        });

        var pod = NucleusPodBuilder.Build(device, Settings);

        var volume = Assert.Single(pod.Spec.Volumes, v => v.Name == "mqtt-upstream");
        Assert.Equal("upstream-tls", volume.Secret.SecretName);
        var container = Assert.Single(pod.Spec.Containers);
        var mount = Assert.Single(container.VolumeMounts, m => m.Name == "mqtt-upstream");
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal(MqttPlanBuilder.UpstreamMountPath, mount.MountPath);
        Assert.Equal(MqttPlanBuilder.UpstreamMountPath, Assert.Single(container.Env, e => e.Name == MqttPlanBuilder.UpstreamDirEnv).Value);
    }

    [Fact]
    public void NucleusPod_UpstreamSecretChanged_IsReplaced_WithoutUpstreamHasNoMount()
    {
        CoreDevice With(string secret) => DeviceBuildersTests.Device(configure: s => s.Mqtt = new MqttSettings
        {
            Upstream = new MqttUpstream { Endpoint = "iot.example.com", CertificateSecretRef = new SecretReference { Name = secret } },
        });

        Assert.True(NucleusPodBuilder.NeedsReplacement(NucleusPodBuilder.Build(With("a"), Settings), NucleusPodBuilder.Build(With("b"), Settings)));
        Assert.DoesNotContain(NucleusPodBuilder.Build(DeviceBuildersTests.Device(), Settings).Spec.Volumes, v => v.Name == "mqtt-upstream");
    }

    [Fact]
    public void NucleusRole_NeverGrantsSecrets()
    {
        var role = DeviceRbacBuilder.BuildRole(DeviceBuildersTests.Device());

        Assert.DoesNotContain(role.Rules, r => r.Resources.Contains("secrets"));
    }
}
