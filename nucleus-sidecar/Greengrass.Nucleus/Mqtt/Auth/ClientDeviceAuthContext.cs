using System.Security.Cryptography.X509Certificates;
using Greengrass.Nucleus.Mqtt.Broker;

namespace Greengrass.Nucleus.Mqtt.Auth;

/// <summary>
/// What client device auth decides with while one MQTT stack runs: the authorizer and certificate registry the broker
/// uses, the core device CA, and the server certificate settings. The IPC operations of
/// <c>aws.greengrass.clientdevices.Auth</c> use it so a custom broker gets exactly the answers the built-in one gets.
/// A replaced MQTT stack brings a new context.
/// </summary>
internal sealed class ClientDeviceAuthContext
{
    public const int DefaultMaxActiveAuthTokens = 2500;
    private readonly StaticClientDeviceRegistry _attached;

    public ClientDeviceAuthContext(
        ClientDeviceAuthorizer authorizer,
        IClientDeviceRegistry registry,
        StaticClientDeviceRegistry attached,
        CertificateAuthority certificateAuthority,
        IReadOnlyList<string> serverHosts,
        TimeSpan serverCertificateValidity,
        int maxActiveAuthTokens = DefaultMaxActiveAuthTokens)
    {
        Authorizer = authorizer;
        Registry = registry;
        _attached = attached;
        CertificateAuthority = certificateAuthority;
        ServerHosts = serverHosts;
        ServerCertificateValidity = serverCertificateValidity;
        MaxActiveAuthTokens = maxActiveAuthTokens;
        // Computed now: the CA is disposed with its MQTT stack, and an old context is still compared after that.
        ServerCertificateIdentity = string.Join(
            '|', [certificateAuthority.Certificate.Thumbprint, ((long)serverCertificateValidity.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), .. serverHosts]);
    }

    public ClientDeviceAuthorizer Authorizer { get; }

    /// <summary>Certificate → things, with the offline cache the broker's CONNECT check uses.</summary>
    public IClientDeviceRegistry Registry { get; }

    public CertificateAuthority CertificateAuthority { get; }

    /// <summary>Host names and addresses a server certificate names (besides <c>localhost</c>).</summary>
    public IReadOnlyList<string> ServerHosts { get; }

    /// <summary><c>certificates.serverCertificateValiditySeconds</c> of the Auth component.</summary>
    public TimeSpan ServerCertificateValidity { get; }

    /// <summary><c>performance.maxActiveAuthTokens</c> of the Auth component: the least recently used token goes beyond it.</summary>
    public int MaxActiveAuthTokens { get; }

    /// <summary>Equal for two contexts that issue interchangeable server certificates (same CA, hosts and validity).</summary>
    public string ServerCertificateIdentity { get; }

    /// <summary>
    /// Whether the core device trusts the certificate, by the rule of the broker's TLS listener: issued by the core
    /// device CA, or attached to a thing by the device plan (a ClientDevice's certificate, whoever issued it).
    /// </summary>
    public bool IsTrusted(X509Certificate2 certificate) => CertificateAuthority.Verifies(certificate) || _attached.IsAttached(certificate);
}
