using System.Security.Cryptography;
using System.Text;
using Greengrass.Api;
using k8s;
using k8s.Models;

namespace Greengrass.Operator.Devices;

/// <summary>Inputs of the nucleus pod that are not in the CoreDevice itself.</summary>
internal sealed record NucleusPodSettings(string DefaultImage, string DefaultNucleusVersion, string HostPathRoot = "/var/lib/greengrass");

/// <summary>
/// Builds the nucleus pod of a CoreDevice: pure, deterministic. The pod carries a hash of its own
/// spec so the reconciler can tell a pod that must be replaced (new image, placement, resources:
/// a controlled nucleus restart) from one that merely runs.
/// </summary>
internal static class NucleusPodBuilder
{
    /// <summary>Annotation holding the hash of the built pod spec.</summary>
    public const string SpecHashAnnotation = GreengrassApi.Group + "/pod-spec-hash";

    /// <summary>Annotation holding the nucleus version the pod runs.</summary>
    public const string NucleusVersionAnnotation = GreengrassApi.Group + "/nucleus-version";

    /// <summary>User and group id of the nucleus and, by default, of its components.</summary>
    public const int NucleusUser = 1000;

    public static V1Pod Build(CoreDevice device, NucleusPodSettings settings)
    {
        var name = device.Metadata.Name;
        var spec = device.Spec ?? new CoreDeviceSpec();
        var version = spec.Nucleus?.Version ?? settings.DefaultNucleusVersion;
        var podSpec = new V1PodSpec
        {
            ServiceAccountName = DeviceNames.Identity(name),
            AutomountServiceAccountToken = true,
            NodeName = spec.Placement?.NodeName,
            NodeSelector = spec.Placement?.NodeSelector,
            Affinity = spec.Placement?.Affinity,
            Tolerations = spec.Placement?.Tolerations,
            RestartPolicy = "Always",
            // Components get their Shutdown step and SIGTERM grace inside this window.
            TerminationGracePeriodSeconds = 60,
            ReadinessGates = [new V1PodReadinessGate { ConditionType = ConditionTypes.PodComponentsReady }],
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = NucleusUser,
                RunAsGroup = NucleusUser,
                FsGroup = NucleusUser,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Containers = [BuildContainer(device, settings, spec)],
            Volumes =
            [
                new V1Volume { Name = "root", HostPath = spec.Storage?.PersistentVolumeClaim is null ? HostPath(device, spec, settings) : null,
                    PersistentVolumeClaim = spec.Storage?.PersistentVolumeClaim },
                // The broker's server certificate chains to the device CA that discovery hands to client devices.
                new V1Volume { Name = "ca", Secret = new V1SecretVolumeSource { SecretName = DeviceNames.CaSecret(name), DefaultMode = 0x120 } }, // 0440: the pod's fsGroup reads it
            ],
        };
        AddUpstreamCredentials(podSpec, spec);
        AwsAccessPodBuilder.Apply(podSpec, spec);
        SecretsPodBuilder.Apply(podSpec, spec);

        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = DeviceNames.Pod(name),
                NamespaceProperty = device.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>
                {
                    ["app.kubernetes.io/name"] = "greengrass-nucleus",
                    ["app.kubernetes.io/instance"] = name,
                    [Labels.ManagedBy] = Labels.ManagedByValue,
                    [Labels.CoreDevice] = name,
                },
                Annotations = new Dictionary<string, string> { [NucleusVersionAnnotation] = version },
                OwnerReferences = [OwnerReferences.ControlledBy(device)],
            },
            Spec = podSpec,
        };
        // The version is part of the hash: a new nucleus version is a controlled restart even with the same image name.
        pod.Metadata.Annotations[SpecHashAnnotation] = Hash(podSpec, version);
        return pod;
    }

    /// <summary>True when <paramref name="existing"/> was built from a different spec than <paramref name="desired"/>.</summary>
    public static bool NeedsReplacement(V1Pod existing, V1Pod desired) =>
        (existing.Metadata.Annotations is { } a && a.TryGetValue(SpecHashAnnotation, out var h) ? h : null) != desired.Metadata.Annotations[SpecHashAnnotation];

    private static V1Container BuildContainer(CoreDevice device, NucleusPodSettings settings, CoreDeviceSpec spec)
    {
        var port = spec.Mqtt?.Port ?? 8883;
        return new V1Container
        {
            Name = "nucleus",
            Image = spec.Nucleus?.Image ?? settings.DefaultImage,
            Args = ["kubernetes", "--root", DeviceNames.NucleusRoot],
            Env =
            [
                Env("GG_THING_NAME", spec.ThingName),
                Env("GG_CORE_DEVICE", device.Metadata.Name),
                Env("GG_PLAN_CONFIGMAP", DeviceNames.PlanConfigMap(device.Metadata.Name)),
                Env("GG_LOG_LEVEL", spec.Nucleus?.Logging?.Level ?? "INFO"),
                Env("GG_LOG_FORMAT", spec.Nucleus?.Logging?.Format ?? "TEXT"),
                // Components run as the pod's user; a nucleus that finds itself root (a node agent that does not
                // apply the security context) still never runs components as root.
                Env("GG_DEFAULT_POSIX_USER", $"{NucleusUser}:{NucleusUser}"),
                // The broker issues its server certificate from this CA, with these hosts as SANs (plus localhost).
                Env("GG_CA_DIRECTORY", DeviceNames.CaMountPath),
                Env("GG_BROKER_HOSTS", string.Join(',', (spec.Connectivity ?? []).Select(c => c.HostAddress).Distinct(StringComparer.Ordinal))),
                new V1EnvVar { Name = "GG_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                new V1EnvVar { Name = "GG_POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            ],
            Ports =
            [
                new V1ContainerPort { ContainerPort = port, Name = "mqtt", Protocol = "TCP" },
                new V1ContainerPort { ContainerPort = 9100, Name = "metrics", Protocol = "TCP" },
            ],
            Resources = spec.Nucleus?.Resources ?? new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("64Mi") },
            },
            VolumeMounts =
            [
                new V1VolumeMount { MountPath = DeviceNames.NucleusRoot, Name = "root" },
                new V1VolumeMount { MountPath = DeviceNames.CaMountPath, Name = "ca", ReadOnlyProperty = true },
            ],
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };
    }

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    /// <summary>
    /// The upstream certificate Secret, mounted read-only: the private key reaches the nucleus through the kubelet,
    /// never through the plan ConfigMap or the operator, and the nucleus's own Role needs no access to Secrets.
    /// </summary>
    private static void AddUpstreamCredentials(V1PodSpec podSpec, CoreDeviceSpec spec)
    {
        if (MqttPlanBuilder.UpstreamSecretName(spec) is not { } secret)
        {
            return;
        }

        podSpec.Volumes.Add(new V1Volume
        {
            Name = "mqtt-upstream",
            Secret = new V1SecretVolumeSource { SecretName = secret, DefaultMode = Convert.ToInt32("0440", 8) },
        });
        var container = podSpec.Containers[0];
        container.VolumeMounts.Add(new V1VolumeMount { Name = "mqtt-upstream", MountPath = MqttPlanBuilder.UpstreamMountPath, ReadOnlyProperty = true });
        container.Env.Add(Env(MqttPlanBuilder.UpstreamDirEnv, MqttPlanBuilder.UpstreamMountPath));
    }

    private static V1HostPathVolumeSource HostPath(CoreDevice device, CoreDeviceSpec spec, NucleusPodSettings settings) =>
        spec.Storage?.HostPath ?? new V1HostPathVolumeSource
        {
            Path = $"{settings.HostPathRoot}/{device.Metadata.NamespaceProperty}/{device.Metadata.Name}",
            Type = "DirectoryOrCreate",
        };

    private static string Hash(V1PodSpec spec, string version)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(version + "\n" + KubernetesJson.Serialize(spec)));
        return Convert.ToHexStringLower(bytes)[..16];
    }
}
