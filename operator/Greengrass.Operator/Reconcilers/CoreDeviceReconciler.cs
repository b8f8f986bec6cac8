using System.Net;
using Greengrass.Api;
using Greengrass.Model.Platforms;
using Greengrass.Nucleus.Contracts;
using Greengrass.Operator.Devices;
using Greengrass.Operator.Rollouts;
using Greengrass.Operator.Runtime;
using Greengrass.Operator.Runtime.Cache;
using Greengrass.Operator.Runtime.Controllers;
using Greengrass.Operator.Runtime.Writes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Greengrass.Operator.Reconcilers;

/// <summary>
/// Reconciles one CoreDevice: its identity (ServiceAccount, Role, RoleBinding), its nucleus pod, its
/// device plan (ConfigMap) and the operator's half of its status.
/// </summary>
internal sealed partial class CoreDeviceReconciler(
    ClusterState state,
    ResourceClient client,
    StatusWriter statusWriter,
    FinalizerWriter finalizers,
    EventRecorder events,
    OperatorSettings settings,
    TimeProvider time,
    ILogger<CoreDeviceReconciler> logger) : IReconciler<ResourceKey>
{
    /// <summary>Prefix of the list of Deployments (<c>name@revision</c>) a plan error involves, at the end of the Stalled condition's message.</summary>
    public const string DeploymentsMarker = DeviceOutcomes.DeploymentsMarker;

    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var device = await client.GetAsync<CoreDevice>(ResourceTypes.CoreDevices, key.Namespace, key.Name, cancellationToken);
        if (device is null)
        {
            return ReconcileResult.Done;
        }

        if (device.Metadata.DeletionTimestamp is not null)
        {
            await CleanUpAsync(device, cancellationToken);
            return ReconcileResult.Done;
        }

        device = await finalizers.EnsureAsync(ResourceTypes.CoreDevices, device, Api.Finalizers.CoreDevice, cancellationToken);
        await EnsureIdentityAsync(device, cancellationToken);
        var ca = await EnsureCertificateAuthorityAsync(device, cancellationToken);
        var pod = await EnsurePodAsync(device, cancellationToken);
        var plan = await EnsurePlanAsync(device, pod, cancellationToken);
        var missingSecret = await FindMissingSecretAsync(device, cancellationToken);
        await WriteStatusAsync(device, pod, plan, ca, missingSecret, cancellationToken);

        // Look again before the heartbeat runs out, so a silent nucleus turns OFFLINE.
        return ReconcileResult.RequeueAfter(settings.HeartbeatTimeout / 2);
    }

    private async Task EnsureIdentityAsync(CoreDevice device, CancellationToken cancellationToken)
    {
        var ns = device.Metadata.NamespaceProperty;
        await CreateIfMissingAsync(ResourceTypes.ServiceAccounts, ns, DeviceRbacBuilder.BuildServiceAccount(device), cancellationToken);
        await CreateOrReplaceAsync(ResourceTypes.Roles, ns, DeviceRbacBuilder.BuildRole(device), cancellationToken);
        await CreateIfMissingAsync(ResourceTypes.RoleBindings, ns, DeviceRbacBuilder.BuildRoleBinding(device), cancellationToken);
    }

    private async Task<V1Pod?> EnsurePodAsync(CoreDevice device, CancellationToken cancellationToken)
    {
        var ns = device.Metadata.NamespaceProperty;
        var desired = NucleusPodBuilder.Build(device, new NucleusPodSettings(settings.NucleusImage, settings.NucleusVersion, settings.HostPathRoot));
        var existing = await client.GetAsync<V1Pod>(ResourceTypes.Pods, ns, desired.Metadata.Name, cancellationToken);
        if (existing is null)
        {
            var created = await client.CreateAsync(ResourceTypes.Pods, ns, desired, cancellationToken);
            LogPodCreated(logger, desired.Metadata.Name);
            await events.NormalAsync(device, "NucleusPodCreated", $"created nucleus pod {desired.Metadata.Name}", cancellationToken);
            return created;
        }

        if (existing.Metadata.DeletionTimestamp is not null)
        {
            return null; // being replaced; the pod's deletion event brings us back
        }

        var failed = existing.Status?.Phase is "Failed" or "Succeeded";
        if (failed || NucleusPodBuilder.NeedsReplacement(existing, desired))
        {
            // A controlled nucleus restart: the pod's grace period lets the nucleus stop its components in order.
            var reason = failed ? $"pod {existing.Status?.Phase} ({existing.Status?.Reason})" : "nucleus image, placement or resources changed";
            await client.DeleteAsync(ResourceTypes.Pods, ns, existing.Metadata.Name, "Background", cancellationToken);
            await events.NormalAsync(device, "NucleusRestart", $"replacing nucleus pod: {reason}", cancellationToken);
            return null;
        }

        return existing;
    }

    private async Task<PlanOutcome> EnsurePlanAsync(CoreDevice device, V1Pod? pod, CancellationToken cancellationToken)
    {
        var ns = device.Metadata.NamespaceProperty;
        var name = DeviceNames.PlanConfigMap(device.Metadata.Name);
        var configMap = await client.GetAsync<V1ConfigMap>(ResourceTypes.ConfigMaps, ns, name, cancellationToken);
        var previous = ReadPlan(configMap);
        var nodeName = pod?.Spec?.NodeName ?? device.Spec.Placement?.NodeName;
        var node = nodeName is null ? null : state.Nodes.Get(null, nodeName);
        if (node is null)
        {
            return new PlanOutcome(previous, null, null);
        }

        var platform = DevicePlatform.FromNodeLabels(node.Metadata.Labels?.ToDictionary(l => l.Key, l => l.Value) ?? []);
        // Each Deployment contributes the revision its rollout admitted this device to (see RolloutView).
        List<Api.Deployment> deployments = [.. RolloutView.EffectiveFor(device, state.DeploymentsTargeting(device))];
        var result = DevicePlanBuilder.Build(new DevicePlanInput(device, deployments,
            [.. state.Components.List().Where(c => c.Metadata.NamespaceProperty == ns)], platform, previous, time.GetUtcNow(),
            await AssociatedClientDevicesAsync(device, cancellationToken)));
        if (!result.Succeeded)
        {
            await events.WarningAsync(device, result.ErrorReason!, result.ErrorMessage!, cancellationToken);
            var tags = result.InvolvedDeployments.Select(n => DeviceOutcomes.Tag(n, deployments.FirstOrDefault(d => d.Metadata.Name == n)?.Metadata.Generation));
            var involved = result.InvolvedDeployments.Count == 0 ? string.Empty : $" {DeploymentsMarker}{string.Join(", ", tags)}]";
            return new PlanOutcome(previous, result.ErrorReason, result.ErrorMessage + involved);
        }

        var plan = result.Plan!;
        if (previous is null || plan.Revision != previous.Revision)
        {
            await WritePlanAsync(device, configMap, plan, cancellationToken);
            LogPlanWritten(logger, device.Metadata.Name, plan.Revision, plan.Components.Count);
            await events.NormalAsync(device, "PlanUpdated", $"device plan revision {plan.Revision} with {plan.Components.Count} components", cancellationToken);
        }

        return new PlanOutcome(plan, null, null);
    }

    private async Task WritePlanAsync(CoreDevice device, V1ConfigMap? existing, DevicePlan plan, CancellationToken cancellationToken)
    {
        var ns = device.Metadata.NamespaceProperty;
        var desired = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = DeviceNames.PlanConfigMap(device.Metadata.Name),
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.CoreDevice] = device.Metadata.Name },
                Annotations = new Dictionary<string, string>
                {
                    [Annotations.PlanRevision] = plan.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [Annotations.PlanHash] = DevicePlanBuilder.ContentHash(plan)[..16],
                    [Annotations.RestartRequired] = plan.RequiresNucleusRestart ? "true" : "false",
                },
                OwnerReferences = [OwnerReferences.ControlledBy(device)],
                ResourceVersion = existing?.Metadata.ResourceVersion,
            },
            Data = new Dictionary<string, string> { [DeviceNames.PlanKey] = ContractJson.SerializePlan(plan) },
        };
        if (existing is null)
        {
            await client.CreateAsync(ResourceTypes.ConfigMaps, ns, desired, cancellationToken);
        }
        else
        {
            await client.ReplaceAsync(ResourceTypes.ConfigMaps, ns, desired.Metadata.Name, desired, null, cancellationToken);
        }
    }

    private async Task WriteStatusAsync(CoreDevice device, V1Pod? pod, PlanOutcome plan, string? ca, string? missingSecret, CancellationToken cancellationToken)
    {
        var seen = new DeviceObservation(pod, plan.Plan?.Revision, plan.ErrorReason ?? null, plan.ErrorMessage, time.GetUtcNow(), settings.HeartbeatTimeout)
        {
            MissingSecret = missingSecret,
        };
        await statusWriter.UpdateAsync<CoreDevice, CoreDeviceStatus>(ResourceTypes.CoreDevices, device.Metadata.NamespaceProperty, device.Metadata.Name,
            (fresh, status) =>
            {
                CoreDeviceStatusBuilder.Apply(fresh, status, seen);
                status.NucleusVersion ??= fresh.Spec.Nucleus?.Version ?? settings.NucleusVersion;
                status.ClientDevices = state.ClientDevices.List().Count(c => ClientDeviceAssociation.Selects(c, fresh));
                status.CertificateAuthority = ca ?? status.CertificateAuthority;
            }, cancellationToken);
    }

    private async Task CleanUpAsync(CoreDevice device, CancellationToken cancellationToken)
    {
        var ns = device.Metadata.NamespaceProperty;
        var name = device.Metadata.Name;
        await client.DeleteAsync(ResourceTypes.Pods, ns, DeviceNames.Pod(name), "Background", cancellationToken);
        await client.DeleteAsync(ResourceTypes.ConfigMaps, ns, DeviceNames.PlanConfigMap(name), "Background", cancellationToken);
        // The CA Secret is owned by the CoreDevice: garbage collection removes it with the device.
        await client.DeleteAsync(ResourceTypes.RoleBindings, ns, DeviceNames.Identity(name), "Background", cancellationToken);
        await client.DeleteAsync(ResourceTypes.Roles, ns, DeviceNames.Identity(name), "Background", cancellationToken);
        await client.DeleteAsync(ResourceTypes.ServiceAccounts, ns, DeviceNames.Identity(name), "Background", cancellationToken);
        await finalizers.RemoveAsync(ResourceTypes.CoreDevices, device, Api.Finalizers.CoreDevice, cancellationToken);
        LogCleanedUp(logger, name);
    }

    private async Task CreateIfMissingAsync<T>(ResourceType type, string? ns, T desired, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        // Read first: this runs on every resync of every device, and a create that answers 409 each time is a write.
        if (await client.GetAsync<T>(type, ns, desired.Metadata.Name, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await client.CreateAsync(type, ns, desired, cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // created meanwhile
        }
    }

    private async Task CreateOrReplaceAsync<T>(ResourceType type, string? ns, T desired, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var existing = await client.GetAsync<T>(type, ns, desired.Metadata.Name, cancellationToken);
        if (existing is null)
        {
            await client.CreateAsync(type, ns, desired, cancellationToken);
            return;
        }

        desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
        if (KubernetesJson.Serialize(Strip(existing)) != KubernetesJson.Serialize(Strip(desired)))
        {
            await client.ReplaceAsync(type, ns, desired.Metadata.Name, desired, null, cancellationToken);
        }
    }

    // Only the parts the operator sets take part in the comparison.
    private static object? Strip<T>(T obj) => obj switch
    {
        V1Role role => role.Rules,
        _ => obj,
    };

    private static DevicePlan? ReadPlan(V1ConfigMap? configMap)
    {
        if (configMap?.Data?.TryGetValue(DeviceNames.PlanKey, out var json) != true || json is null)
        {
            return null;
        }

        try
        {
            return ContractJson.DeserializePlan(json);
        }
        catch (ContractFormatException)
        {
            return null; // a damaged plan is rewritten with the next revision
        }
    }

    private sealed record PlanOutcome(DevicePlan? Plan, string? ErrorReason, string? ErrorMessage);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Created nucleus pod {Pod}")]
    private static partial void LogPodCreated(ILogger logger, string pod);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Wrote plan of {Device}: revision {Revision}, {Count} components")]
    private static partial void LogPlanWritten(ILogger logger, string device, long revision, int count);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Removed the pod, plan and identity of deleted core device {Device}")]
    private static partial void LogCleanedUp(ILogger logger, string device);
}
