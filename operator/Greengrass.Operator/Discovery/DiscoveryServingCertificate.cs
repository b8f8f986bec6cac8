using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Greengrass.Api;
using Greengrass.Operator.Reconcilers;
using Greengrass.Operator.Runtime.Cache;
using k8s.Autorest;
using k8s.Models;

namespace Greengrass.Operator.Discovery;

/// <summary>
/// The discovery server's own certificate, from a kubernetes.io/tls Secret (<c>tls.crt</c>, <c>tls.key</c>, and
/// <c>ca.crt</c> for clients to trust). When the Secret does not exist the operator makes a small CA and a server
/// certificate signed by it (ECDSA P-256, one year for the leaf, SANs = the configured hosts plus localhost and
/// 127.0.0.1) and keeps them in that Secret, so every replica and every restart serves the same chain.
/// </summary>
internal static class DiscoveryServingCertificate
{
    public static async Task<X509Certificate2> LoadOrCreateAsync(ResourceClient client, string ns, string secretName, IReadOnlyList<string> hosts,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var secret = await client.GetAsync<V1Secret>(ResourceTypes.Secrets, ns, secretName, cancellationToken);
        if (secret is null)
        {
            try
            {
                secret = await client.CreateAsync(ResourceTypes.Secrets, ns, BuildSecret(ns, secretName, hosts, time.GetUtcNow()), cancellationToken);
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                secret = await client.GetAsync<V1Secret>(ResourceTypes.Secrets, ns, secretName, cancellationToken);
            }
        }

        return Read(secret, secretName);
    }

    public static X509Certificate2 Read(V1Secret? secret, string secretName)
    {
        if (secret?.Data is not { } data || !data.TryGetValue("tls.crt", out var crt) || !data.TryGetValue("tls.key", out var key))
        {
            throw new InvalidOperationException($"Secret {secretName}: tls.crt and tls.key are required for the discovery server");
        }

        using var pem = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(crt), Encoding.ASCII.GetString(key));
        // Linux SslStream needs a certificate whose key is not ephemeral.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public static V1Secret BuildSecret(string ns, string name, IReadOnlyList<string> hosts, DateTimeOffset now)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Greengrass discovery CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=greengrass-discovery", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Concat(["localhost", "127.0.0.1"]).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var leaf = request.Create(ca, now.AddMinutes(-5), now.AddYears(1), serial);
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "kubernetes.io/tls",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [Labels.ManagedBy] = Labels.ManagedByValue },
            },
            Data = new Dictionary<string, byte[]>
            {
                ["tls.crt"] = Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n"),
                ["tls.key"] = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"),
                ["ca.crt"] = Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n"),
            },
        };
    }
}
