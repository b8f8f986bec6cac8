using Greengrass.Api;
using Greengrass.Nucleus.Contracts;
using Greengrass.Operator.Devices;

namespace Greengrass.Operator.Reconcilers;

/// <summary>The client devices of a core device's plan: the certificate → thing mapping its broker authenticates with.</summary>
internal sealed partial class CoreDeviceReconciler
{
    /// <summary>
    /// Every ClientDevice associated with the device whose certificate can be read and is valid now; the others are
    /// reported Stalled on themselves and left out, so one bad client device never blocks a core device's plan.
    /// </summary>
    private async Task<IReadOnlyList<MqttClientDevicePlan>> AssociatedClientDevicesAsync(CoreDevice device, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, MqttClientDevicePlan>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var clientDevice in state.ClientDevices.List()
            .Where(c => c.Metadata.DeletionTimestamp is null && ClientDeviceAssociation.Selects(c, device))
            .OrderBy(c => c.Metadata.Name, StringComparer.Ordinal))
        {
            var source = await ClientCertificates.ReadAsync(client, clientDevice, cancellationToken);
            if (source.Pem is { } pem && ClientDeviceAssociation.Inspect(pem, source.Field, now).State == CertificateStates.Valid)
            {
                // Two resources for one thing: the first by name wins, as a plan must name a thing once.
                entries.TryAdd(clientDevice.Spec.ThingName, new MqttClientDevicePlan { ThingName = clientDevice.Spec.ThingName, CertificatePem = pem });
            }
        }

        return [.. entries.Values];
    }
}
