using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Devices;

/// <summary>
/// The core device CA, as the client device auth component makes it (GREENGRASS.md §7.2): RSA-2048 with
/// SHA256withRSA, valid five years, subject "Greengrass Core CA" under Amazon's X.500 names. The operator keeps it
/// in the Secret <c>&lt;device&gt;-ca</c> (type kubernetes.io/tls: <c>tls.crt</c>, <c>tls.key</c> as PKCS#8 PEM) and
/// never replaces it on its own: client devices pinned the old certificate.
/// </summary>
internal static class DeviceCaBuilder
{
    /// <summary>Validity of a new device CA (the Auth component's five years).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(5 * 365);

    /// <summary>A new CA certificate with its private key. Not pure: the key is random.</summary>
    public static X509Certificate2 CreateCertificate(string thingName, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var subject = new X500DistinguishedName(
            $"CN=Greengrass Core CA {thingName}, OU=Amazon Web Services, O=Amazon.com Inc., L=Seattle, S=Washington, C=US");
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
    }

    /// <summary>The CA Secret of <paramref name="device"/>, owned by it so it goes with the device.</summary>
    public static V1Secret BuildSecret(CoreDevice device, X509Certificate2 ca)
    {
        using var key = ca.GetRSAPrivateKey() ?? throw new ArgumentException("the CA certificate has no RSA private key", nameof(ca));
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "kubernetes.io/tls",
            Metadata = new V1ObjectMeta
            {
                Name = DeviceNames.CaSecret(device.Metadata.Name),
                NamespaceProperty = device.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.CoreDevice] = device.Metadata.Name },
                OwnerReferences = [OwnerReferences.ControlledBy(device)],
            },
            Data = new Dictionary<string, byte[]>
            {
                ["tls.crt"] = Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n"),
                ["tls.key"] = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"),
            },
        };
    }

    /// <summary>The CA certificate PEM of a CA Secret, or null when the Secret lacks a parsable <c>tls.crt</c>.</summary>
    public static string? ReadCertificatePem(V1Secret secret)
    {
        if (secret.Data?.TryGetValue("tls.crt", out var bytes) != true || bytes is null)
        {
            return null;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(bytes));
            return certificate.ExportCertificatePem() + "\n";
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
