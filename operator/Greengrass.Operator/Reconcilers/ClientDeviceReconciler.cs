using Greengrass.Api;
using Greengrass.Operator.Devices;
using Greengrass.Operator.Runtime;
using Greengrass.Operator.Runtime.Cache;
using Greengrass.Operator.Runtime.Controllers;
using Greengrass.Operator.Runtime.Writes;

namespace Greengrass.Operator.Reconcilers;

/// <summary>
/// Reconciles one ClientDevice: checks its certificate (inline or from its Secret), lists the core devices it is
/// associated with, and sets Ready or Stalled naming the field at fault. The core devices' plans pick the device up
/// through their own reconcile (a ClientDevice change enqueues them).
/// </summary>
internal sealed class ClientDeviceReconciler(ClusterState state, ResourceClient client, StatusWriter statusWriter, TimeProvider time)
    : IReconciler<ResourceKey>
{
    /// <summary>A Secret-held certificate is looked at again this often: Secrets are read on demand, not watched.</summary>
    public static readonly TimeSpan SecretRecheck = TimeSpan.FromMinutes(5);

    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var device = await client.GetAsync<ClientDevice>(ResourceTypes.ClientDevices, key.Namespace, key.Name, cancellationToken);
        if (device is null)
        {
            return ReconcileResult.Done;
        }

        var now = time.GetUtcNow();
        var source = await ClientCertificates.ReadAsync(client, device, cancellationToken);
        var facts = source.Pem is { } pem
            ? ClientDeviceAssociation.Inspect(pem, source.Field, now)
            : new CertificateFacts(CertificateStates.Invalid, null, null, null, source.Error);
        var reason = source.Pem is null && device.Spec.Certificate?.SecretRef is not null ? ConditionReasons.SecretNotFound : ConditionReasons.CertificateInvalid;
        var cores = state.CoreDevices.List()
            .Where(c => c.Metadata.DeletionTimestamp is null && ClientDeviceAssociation.Selects(device, c))
            .Select(c => c.Metadata.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

        await statusWriter.UpdateAsync<ClientDevice, ClientDeviceStatus>(ResourceTypes.ClientDevices, key.Namespace, key.Name, (fresh, status) =>
        {
            var generation = fresh.Metadata.Generation;
            status.ObservedGeneration = generation;
            status.CoreDevices = cores.Count == 0 ? null : cores;
            status.Certificate = new ClientCertificateStatus
            {
                State = facts.State, Fingerprint = facts.Fingerprint, Subject = facts.Subject, NotAfter = facts.NotAfter, Message = facts.Message,
            };
            status.Conditions ??= [];
            if (facts.State == CertificateStates.Valid)
            {
                var message = cores.Count == 0 ? "the certificate is valid; no core device is associated" : $"associated with {cores.Count} core device(s)";
                Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatuses.True, ConditionReasons.Succeeded, message, generation, now);
                Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
            }
            else
            {
                Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatuses.False, reason, facts.Message ?? facts.State, generation, now);
                Conditions.Set(status.Conditions, ConditionTypes.Stalled, ConditionStatuses.True, reason, facts.Message ?? facts.State, generation, now);
            }
        }, cancellationToken);

        // Expiry comes with time, and a Secret may be created or fixed later: look again.
        return device.Spec.Certificate?.SecretRef is not null || facts.NotAfter is not null ? ReconcileResult.RequeueAfter(SecretRecheck) : ReconcileResult.Done;
    }
}
