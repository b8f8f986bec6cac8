using System.Net;
using Greengrass.Api;
using Greengrass.Operator.Devices;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Greengrass.Operator.Reconcilers;

/// <summary>The core device CA: created once in the Secret <c>&lt;device&gt;-ca</c>, never rotated silently.</summary>
internal sealed partial class CoreDeviceReconciler
{
    /// <summary>Returns the device CA certificate PEM, creating the CA Secret when it does not exist.</summary>
    private async Task<string?> EnsureCertificateAuthorityAsync(CoreDevice device, CancellationToken cancellationToken)
    {
        var ns = device.Metadata.NamespaceProperty;
        var name = DeviceNames.CaSecret(device.Metadata.Name);
        var existing = await client.GetAsync<V1Secret>(ResourceTypes.Secrets, ns, name, cancellationToken);
        if (existing is not null)
        {
            // A damaged or foreign Secret is reported, not overwritten: replacing a CA breaks every client device that trusts it.
            var pem = DeviceCaBuilder.ReadCertificatePem(existing);
            if (pem is null)
            {
                await events.WarningAsync(device, "CertificateAuthorityInvalid", $"Secret {name} has no valid tls.crt; delete it to make a new CA", cancellationToken);
            }

            return pem;
        }

        using var ca = DeviceCaBuilder.CreateCertificate(device.Spec.ThingName, time.GetUtcNow());
        try
        {
            await client.CreateAsync(ResourceTypes.Secrets, ns, DeviceCaBuilder.BuildSecret(device, ca), cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // Another replica created it meanwhile: use that one.
            var raced = await client.GetAsync<V1Secret>(ResourceTypes.Secrets, ns, name, cancellationToken);
            return raced is null ? null : DeviceCaBuilder.ReadCertificatePem(raced);
        }

        LogCaCreated(logger, device.Metadata.Name, name);
        await events.NormalAsync(device, "CertificateAuthorityCreated", $"created the core device CA in Secret {name}", cancellationToken);
        return ca.ExportCertificatePem() + "\n";
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Created the CA of core device {Device} in Secret {Secret}")]
    private static partial void LogCaCreated(ILogger logger, string device, string secret);
}
