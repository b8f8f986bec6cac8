using System.Text.Json;
using Greengrass.Api;
using Greengrass.Operator.Devices;

namespace Greengrass.Operator.Tests.Devices;

public sealed class SecretsPodTests
{
    private const string DbArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf";
    private const string ApiArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key-Zz9Yy8";
    private const string TokenArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:token-Qq1Ww2";
    private static readonly NucleusPodSettings Settings = new("nucleus:1", "1.0.0");

    internal static CoreDevice WithSecrets(params (string Arn, string Secret)[] mappings) => DeviceBuildersTests.Device(configure: s =>
        s.Secrets = [.. mappings.Select(m => new SecretMapping { Arn = m.Arn, SecretRef = new SecretReference { Name = m.Secret } })]);

    private static List<(string Arn, string Path)> Mapping(k8s.Models.V1Container container) =>
        [.. JsonDocument.Parse(Assert.Single(container.Env, e => e.Name == SecretsPodBuilder.MappingEnv).Value).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("arn").GetString()!, e.GetProperty("path").GetString()!))];

    [Fact]
    public void NucleusPod_WithSecrets_MountsEachSecretOnceReadOnly_AndMapsEveryArnToItsFolder()
    {
        var pod = NucleusPodBuilder.Build(WithSecrets((DbArn, "db"), (ApiArn, "shared"), (TokenArn, "shared")), Settings);

        var volumes = pod.Spec.Volumes.Where(v => v.Name.StartsWith("gg-secret-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["db", "shared"], volumes.Select(v => v.Secret.SecretName));
        Assert.All(volumes, v => Assert.Equal(Convert.ToInt32("0440", 8), v.Secret.DefaultMode));
        var container = Assert.Single(pod.Spec.Containers);
        var mounts = container.VolumeMounts.Where(m => m.Name.StartsWith("gg-secret-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/etc/greengrass/secrets/db", "/etc/greengrass/secrets/shared"], mounts.Select(m => m.MountPath));
        Assert.All(mounts, m => Assert.True(m.ReadOnlyProperty));
        Assert.Equal(
            [(DbArn, "/etc/greengrass/secrets/db"), (ApiArn, "/etc/greengrass/secrets/shared"), (TokenArn, "/etc/greengrass/secrets/shared")],
            Mapping(container));
    }

    [Fact]
    public void NucleusPod_RepeatedArn_FirstMappingKept()
    {
        var pod = NucleusPodBuilder.Build(WithSecrets((DbArn, "one"), (DbArn, "two")), Settings);

        Assert.Equal([(DbArn, "/etc/greengrass/secrets/one")], Mapping(pod.Spec.Containers[0]));
        Assert.DoesNotContain(pod.Spec.Volumes, v => v.Secret?.SecretName == "two");
    }

    [Fact]
    public void NucleusPod_WithoutSecrets_HasNoSecretMountsOrMapping()
    {
        var pod = NucleusPodBuilder.Build(DeviceBuildersTests.Device(), Settings);

        Assert.DoesNotContain(pod.Spec.Volumes, v => v.Name.StartsWith("gg-secret-", StringComparison.Ordinal));
        Assert.DoesNotContain(pod.Spec.Containers[0].Env, e => e.Name == SecretsPodBuilder.MappingEnv);
    }

    [Fact]
    public void NucleusPod_MappingChanged_IsReplaced() =>
        Assert.True(NucleusPodBuilder.NeedsReplacement(
            NucleusPodBuilder.Build(WithSecrets((DbArn, "db")), Settings), NucleusPodBuilder.Build(WithSecrets((DbArn, "db"), (ApiArn, "api")), Settings)));

    [Fact]
    public void MountedSecrets_NamesEachMappedSecretWithItsIndex_AndCoversTheirVolumes()
    {
        var device = WithSecrets((DbArn, "db"), (ApiArn, "api"));

        Assert.Equal(
            [new MountedSecret("spec.secrets[0].secretRef.name", "db"), new MountedSecret("spec.secrets[1].secretRef.name", "api")],
            MountedSecrets.Of(device.Spec));
        var volumes = NucleusPodBuilder.Build(device, Settings).Spec.Volumes
            .Where(v => v.Secret is not null && v.Secret.SecretName != DeviceNames.CaSecret(device.Metadata.Name)).Select(v => v.Secret.SecretName);
        Assert.Equal(volumes.Order(StringComparer.Ordinal), MountedSecrets.Of(device.Spec).Select(s => s.Name).Order(StringComparer.Ordinal));
    }
}
