using System.Security.Cryptography.X509Certificates;
using System.Text;
using Greengrass.Operator.Devices;
using k8s.Models;

namespace Greengrass.Operator.Tests.Devices;

public sealed class DeviceCaBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CreateCertificate_IsAnRsa2048CaValidFiveYearsUnderAmazonNames()
    {
        using var ca = DeviceCaBuilder.CreateCertificate("EdgeA", Now);

        Assert.Equal(2048, ca.GetRSAPublicKey()!.KeySize);
        Assert.Equal("1.2.840.113549.1.1.11", ca.SignatureAlgorithm.Value); // sha256WithRSAEncryption
        Assert.True(Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal(Now.AddDays(5 * 365).UtcDateTime, ca.NotAfter.ToUniversalTime());
        Assert.Contains("CN=Greengrass Core CA EdgeA", ca.Subject, StringComparison.Ordinal);
        Assert.Contains("O=Amazon.com Inc.", ca.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildSecret_IsATlsSecretOwnedByTheDeviceThatRoundTrips()
    {
        var device = DeviceBuildersTests.Device();
        using var ca = DeviceCaBuilder.CreateCertificate("EdgeA", Now);

        var secret = DeviceCaBuilder.BuildSecret(device, ca);

        Assert.Equal("edge-a-ca", secret.Metadata.Name);
        Assert.Equal("fleet", secret.Metadata.NamespaceProperty);
        Assert.Equal("kubernetes.io/tls", secret.Type);
        Assert.Equal("uid-1", Assert.Single(secret.Metadata.OwnerReferences).Uid);
        using var loaded = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data["tls.crt"]), Encoding.ASCII.GetString(secret.Data["tls.key"]));
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(ca.Thumbprint, loaded.Thumbprint);
        Assert.Equal(ca.ExportCertificatePem() + "\n", DeviceCaBuilder.ReadCertificatePem(secret));
    }

    [Fact]
    public void ReadCertificatePem_SecretWithoutValidCertificate_IsNull()
    {
        Assert.Null(DeviceCaBuilder.ReadCertificatePem(new V1Secret()));
        Assert.Null(DeviceCaBuilder.ReadCertificatePem(new V1Secret { Data = new Dictionary<string, byte[]> { ["tls.crt"] = "not a certificate"u8.ToArray() } }));
    }

    [Fact]
    public void NucleusPod_MountsTheCaSecretReadOnlyAndPassesTheBrokerHosts()
    {
        var device = DeviceBuildersTests.Device(configure: s => s.Connectivity =
            [new Greengrass.Api.ConnectivityInfo { HostAddress = "10.0.0.5" }, new Greengrass.Api.ConnectivityInfo { HostAddress = "edge-a.local" }]);

        var pod = NucleusPodBuilder.Build(device, new NucleusPodSettings("registry.local/nucleus:1.0.0", "1.0.0"));

        var volume = Assert.Single(pod.Spec.Volumes, v => v.Name == "ca");
        Assert.Equal("edge-a-ca", volume.Secret.SecretName);
        var container = Assert.Single(pod.Spec.Containers);
        var mount = Assert.Single(container.VolumeMounts, m => m.Name == "ca");
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal(DeviceNames.CaMountPath, mount.MountPath);
        Assert.Contains(container.Env, e => e.Name == "GG_CA_DIRECTORY" && e.Value == DeviceNames.CaMountPath);
        Assert.Contains(container.Env, e => e.Name == "GG_BROKER_HOSTS" && e.Value == "10.0.0.5,edge-a.local");
    }
}
