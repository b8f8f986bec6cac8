using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Greengrass.Api;
using Greengrass.Operator.Runtime.Selectors;

namespace Greengrass.Operator.Devices;

/// <summary>What the operator found in a client device certificate.</summary>
internal sealed record CertificateFacts(string State, string? Fingerprint, string? Subject, DateTime? NotAfter, string? Message);

/// <summary>
/// Which core devices a ClientDevice is associated with (Greengrass's BatchAssociateClientDeviceWithCoreDevice:
/// by name, or by label selector over the CoreDevices of its namespace), and what its certificate says. Pure.
/// </summary>
internal static class ClientDeviceAssociation
{
    public static bool Selects(ClientDevice client, CoreDevice device)
    {
        if (client.Metadata.NamespaceProperty != device.Metadata.NamespaceProperty || client.Spec.CoreDevices is not { } selection)
        {
            return false;
        }

        return selection.Names?.Contains(device.Metadata.Name) == true
            || (selection.Selector is not null && LabelSelectors.Matches(selection.Selector, device.Metadata.Labels));
    }

    /// <summary>Parses a PEM certificate; <paramref name="field"/> names where it came from in messages.</summary>
    public static CertificateFacts Inspect(string pem, string field, DateTimeOffset now)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            return new CertificateFacts(CertificateStates.Invalid, null, null, null, $"{field}: not a PEM X.509 certificate ({ex.Message})");
        }

        using (certificate)
        {
            var fingerprint = certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();
            var notAfter = certificate.NotAfter.ToUniversalTime();
            if (notAfter < now.UtcDateTime)
            {
                return new CertificateFacts(CertificateStates.Expired, fingerprint, certificate.Subject, notAfter, $"{field}: the certificate expired at {notAfter:O}");
            }

            if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                return new CertificateFacts(CertificateStates.Invalid, fingerprint, certificate.Subject, notAfter,
                    $"{field}: the certificate is not valid before {certificate.NotBefore.ToUniversalTime():O}");
            }

            return new CertificateFacts(CertificateStates.Valid, fingerprint, certificate.Subject, notAfter, null);
        }
    }
}
