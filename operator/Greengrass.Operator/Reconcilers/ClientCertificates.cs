using System.Text;
using Greengrass.Api;
using Greengrass.Operator.Runtime.Cache;
using k8s.Models;

namespace Greengrass.Operator.Reconcilers;

/// <summary>A client device's certificate PEM, or why it could not be read (naming the field).</summary>
internal sealed record CertificateSource(string? Pem, string? Error, string Field);

/// <summary>
/// Reads a ClientDevice's certificate: inline PEM, or the <c>tls.crt</c> key of the Secret it references. A
/// certificate is public, so the operator reads it and puts it in the plan of every associated core device; the
/// nucleus needs no access to Secrets and no pod restart when a client device is added.
/// </summary>
internal static class ClientCertificates
{
    public const string SecretKey = "tls.crt";

    public static async Task<CertificateSource> ReadAsync(ResourceClient client, ClientDevice device, CancellationToken cancellationToken)
    {
        if (device.Spec.Certificate is not { } certificate)
        {
            return new CertificateSource(null, "spec.certificate: required (pem or secretRef)", "spec.certificate");
        }

        if (certificate.Pem is { } pem)
        {
            return new CertificateSource(pem, null, "spec.certificate.pem");
        }

        var name = certificate.SecretRef?.Name ?? "";
        var field = "spec.certificate.secretRef.name";
        var secret = await client.GetAsync<V1Secret>(ResourceTypes.Secrets, device.Metadata.NamespaceProperty, name, cancellationToken);
        if (secret is null)
        {
            return new CertificateSource(null, $"{field}: Secret \"{name}\" not found", field);
        }

        return secret.Data?.TryGetValue(SecretKey, out var bytes) == true && bytes is not null
            ? new CertificateSource(Encoding.UTF8.GetString(bytes), null, $"Secret \"{name}\" key {SecretKey}")
            : new CertificateSource(null, $"{field}: Secret \"{name}\" has no key {SecretKey}", field);
    }
}
