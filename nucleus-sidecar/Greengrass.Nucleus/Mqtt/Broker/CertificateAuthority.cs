using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>Key type of the core device CA, as <c>certificateAuthority.caType</c> of the Auth component.</summary>
internal enum CaKeyType
{
    Rsa2048,
    EcdsaP256,
}

/// <summary>
/// The core device CA: issues the broker's server certificate and (in standalone mode and tests) client device
/// certificates. Standalone, the nucleus creates it once and keeps it under its root as PEM files.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan CaValidity = TimeSpan.FromDays(5 * 365);

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Loads <c>ca.pem</c>/<c>ca.key.pem</c> from <paramref name="directory"/>, creating them on first use.</summary>
    public static CertificateAuthority LoadOrCreate(string directory, string commonName, CaKeyType keyType, TimeProvider time)
    {
        var certPath = Path.Combine(directory, "ca.pem");
        var keyPath = Path.Combine(directory, "ca.key.pem");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return new CertificateAuthority(X509Certificate2.CreateFromPemFile(certPath, keyPath));
        }

        var ca = Create(commonName, keyType, time);
        Directory.CreateDirectory(directory);
        AtomicFile.Write(keyPath, System.Text.Encoding.ASCII.GetBytes(ExportKeyPem(ca.Certificate)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        AtomicFile.Write(certPath, System.Text.Encoding.ASCII.GetBytes(ca.CertificatePem));
        return ca;
    }

    /// <summary>
    /// Loads the CA the operator keeps for this core device, mounted read-only from its Secret
    /// (<c>tls.crt</c>, <c>tls.key</c>). Never writes: the operator owns it. Fails naming the missing or bad file.
    /// </summary>
    public static CertificateAuthority LoadMounted(string directory)
    {
        var certPath = Path.Combine(directory, "tls.crt");
        var keyPath = Path.Combine(directory, "tls.key");
        foreach (var path in new[] { certPath, keyPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"broker.caDirectory: {path} does not exist (the core device CA Secret must hold tls.crt and tls.key)", path);
            }
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (constraints is not { CertificateAuthority: true })
            {
                certificate.Dispose();
                throw new CryptographicException($"{certPath} is not a CA certificate (basicConstraints CA=true)");
            }

            return new CertificateAuthority(certificate);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"broker.caDirectory: {directory}: {e.Message}", e);
        }
    }

    public static CertificateAuthority Create(string commonName, CaKeyType keyType, TimeProvider time)
    {
        var subject = new X500DistinguishedName(
            $"CN={commonName}, OU=Amazon Web Services, O=Amazon.com Inc., L=Seattle, S=Washington, C=US");
        var request = NewRequest(subject, keyType, out var key);
        using (key)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var now = time.GetUtcNow();
            return new CertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaValidity)));
        }
    }

    /// <summary>A server certificate: serverAuth, not a CA, SANs = the given hosts plus always <c>localhost</c>.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> hosts, TimeSpan validity, TimeProvider time) =>
        IssueServerCertificate("localhost", hosts, validity, time);

    /// <summary>As above, with subject CN <paramref name="commonName"/> (client device auth names the subscribing component).</summary>
    public X509Certificate2 IssueServerCertificate(string commonName, IEnumerable<string> hosts, TimeSpan validity, TimeProvider time)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase).Where(h => h != "localhost"))
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

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        return Issue(subject.Build().Name, "1.3.6.1.5.5.7.3.1", san.Build(), validity, time);
    }

    /// <summary>A client device certificate (clientAuth) whose subject CN is the thing name.</summary>
    public X509Certificate2 IssueClientCertificate(string thingName, TimeSpan validity, TimeProvider time) =>
        Issue($"CN={thingName}", "1.3.6.1.5.5.7.3.2", null, validity, time);

    private X509Certificate2 Issue(string subject, string ekuOid, X509Extension? san, TimeSpan validity, TimeProvider time)
    {
        var keyType = Certificate.GetRSAPublicKey() is null ? CaKeyType.EcdsaP256 : CaKeyType.Rsa2048;
        var request = NewRequest(new X500DistinguishedName(subject), keyType, out var key);
        using (key)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ekuOid)], false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
            if (san is not null)
            {
                request.CertificateExtensions.Add(san);
            }

            var now = time.GetUtcNow();
            var notAfter = now.Add(validity) < Certificate.NotAfter ? now.Add(validity) : new DateTimeOffset(Certificate.NotAfter);
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F;
            using var issued = request.Create(Certificate, now.AddMinutes(-5), notAfter, serial);
            return key switch
            {
                RSA rsa => issued.CopyWithPrivateKey(rsa),
                ECDsa ec => issued.CopyWithPrivateKey(ec),
                _ => throw new InvalidOperationException("unsupported key type"),
            };
        }
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA (no system roots, no revocation).</summary>
    public bool Verifies(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate);
    }

    public static string ExportKeyPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey();
        return key?.ExportPkcs8PrivateKeyPem() ?? throw new InvalidOperationException("certificate has no private key");
    }

    private static CertificateRequest NewRequest(X500DistinguishedName subject, CaKeyType keyType, out AsymmetricAlgorithm key)
    {
        if (keyType == CaKeyType.EcdsaP256)
        {
            var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            key = ec;
            return new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
        }

        var rsa = RSA.Create(2048);
        key = rsa;
        return new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public void Dispose() => Certificate.Dispose();
}
