using k8s.Models;

namespace Greengrass.Api;

/// <summary>Where and how a core device's nucleus runs.</summary>
public sealed class CoreDeviceSpec
{
    /// <summary>The AWS IoT thing name of the core device; client devices and the MQTT bridge know it by this name.</summary>
    [CrdPattern(Patterns.ThingName)]
    [CrdLength(Min = 1, Max = Patterns.ThingNameMaxLength)]
    public string ThingName { get; set; } = "";

    /// <summary>Which edge node runs the nucleus pod.</summary>
    public Placement? Placement { get; set; }

    /// <summary>The nucleus version, image, resources and logging.</summary>
    public NucleusSettings? Nucleus { get; set; }

    /// <summary>The device's identity towards the operator and the upstream broker.</summary>
    public DeviceIdentity? Identity { get; set; }

    /// <summary>The local MQTT broker, its bridge to an upstream broker and the offline spool.</summary>
    public MqttSettings? Mqtt { get; set; }

    /// <summary>Addresses client devices use to reach this core device, returned by discovery.</summary>
    public IList<ConnectivityInfo>? Connectivity { get; set; }

    /// <summary>Where the nucleus root (components, artifacts, configuration, spool) lives.</summary>
    public DeviceStorage? Storage { get; set; }

    /// <summary>AWS region, credentials and S3 endpoint: for <c>s3://</c> artifacts and the token exchange service.</summary>
    public AwsAccess? Aws { get; set; }

    /// <summary>
    /// The secrets <c>aws.greengrass.SecretManager</c> serves to components through IPC <c>GetSecretValue</c>, each an ARN
    /// mapped to a Kubernetes Secret; an ARN appears at most once. Only the ARNs the SecretManager's <c>cloudSecrets</c>
    /// configuration lists are served.
    /// </summary>
    [CrdListMap("arn")]
    public IList<SecretMapping>? Secrets { get; set; }
}

/// <summary>Which edge node runs the nucleus pod.</summary>
[CrdValidation("!(has(self.nodeName) && has(self.nodeSelector))", Message = "set at most one of nodeName or nodeSelector")]
public sealed class Placement
{
    /// <summary>Run on exactly this node.</summary>
    public string? NodeName { get; set; }

    /// <summary>Run on a node with these labels.</summary>
    public IDictionary<string, string>? NodeSelector { get; set; }

    /// <summary>Node affinity and pod (anti-)affinity of the nucleus pod.</summary>
    public V1Affinity? Affinity { get; set; }

    /// <summary>Taints of edge nodes the nucleus pod tolerates.</summary>
    public IList<V1Toleration>? Tolerations { get; set; }
}

/// <summary>The nucleus that runs on the device.</summary>
public sealed class NucleusSettings
{
    /// <summary>Nucleus version; the operator's own version when absent. Changing it is a controlled nucleus restart.</summary>
    [CrdPattern(Patterns.SemanticVersion)]
    public string? Version { get; set; }

    /// <summary>Container image of the nucleus; derived from the version when absent.</summary>
    public string? Image { get; set; }

    /// <summary>CPU and memory of the nucleus container (its components run inside it).</summary>
    public V1ResourceRequirements? Resources { get; set; }

    /// <summary>Nucleus log settings.</summary>
    public NucleusLogging? Logging { get; set; }
}

/// <summary>Nucleus log settings.</summary>
public sealed class NucleusLogging
{
    /// <summary>Lowest level written: TRACE, DEBUG, INFO (the default), WARN or ERROR.</summary>
    [CrdEnum(typeof(NucleusLogLevels))]
    public string? Level { get; set; }

    /// <summary>TEXT (the default) or JSON lines.</summary>
    [CrdEnum(typeof(NucleusLogFormats))]
    public string? Format { get; set; }
}

/// <summary>The device's identity.</summary>
public sealed class DeviceIdentity
{
    /// <summary>Secret (type kubernetes.io/tls) with the device certificate and key; the operator's CA issues one when absent.</summary>
    public SecretReference? CertificateSecretRef { get; set; }
}

/// <summary>A Secret in the same namespace.</summary>
public sealed class SecretReference
{
    /// <summary>Name of the Secret.</summary>
    [CrdPattern(Patterns.ObjectName)]
    [CrdLength(Min = 1, Max = Patterns.ObjectNameMaxLength)]
    public string Name { get; set; } = "";
}

/// <summary>The local MQTT broker and its upstream bridge.</summary>
public sealed class MqttSettings
{
    /// <summary>TLS port of the local broker client devices connect to; 8883 when absent.</summary>
    [CrdRange(Minimum = 1, Maximum = 65535)]
    public int? Port { get; set; }

    /// <summary>The upstream broker the bridge connects to (the role AWS IoT Core plays in Greengrass).</summary>
    public MqttUpstream? Upstream { get; set; }

    /// <summary>Messages kept while the upstream broker is unreachable.</summary>
    public MqttSpooler? Spooler { get; set; }
}

/// <summary>The upstream MQTT broker.</summary>
public sealed class MqttUpstream
{
    /// <summary>Host name or address of the upstream broker.</summary>
    [CrdLength(Min = 1)]
    public string Endpoint { get; set; } = "";

    /// <summary>TLS port of the upstream broker; 8883 when absent.</summary>
    [CrdRange(Minimum = 1, Maximum = 65535)]
    public int? Port { get; set; }

    /// <summary>Secret with the client certificate, key and CA (ca.crt) for the upstream broker; the device identity when absent.</summary>
    public SecretReference? CertificateSecretRef { get; set; }
}

/// <summary>The offline spool of messages bound upstream.</summary>
public sealed class MqttSpooler
{
    /// <summary>Largest spool size in bytes; the oldest messages are dropped beyond it. 2.5 MB when absent, as in Greengrass.</summary>
    [CrdRange(Minimum = 0)]
    public long? MaxSizeInBytes { get; set; }

    /// <summary>Spool QoS 0 messages too while offline; false when absent.</summary>
    public bool? KeepQos0WhenOffline { get; set; }

    /// <summary>Memory (the default) or Disk.</summary>
    [CrdEnum(typeof(SpoolerStorageTypes))]
    public string? StorageType { get; set; }
}

/// <summary>An address of the core device, as discovery returns it.</summary>
public sealed class ConnectivityInfo
{
    /// <summary>Host name or IP address.</summary>
    [CrdLength(Min = 1)]
    public string HostAddress { get; set; } = "";

    /// <summary>Port of the local broker at that address.</summary>
    [CrdRange(Minimum = 1, Maximum = 65535)]
    public int? PortNumber { get; set; }

    /// <summary>Free text for humans.</summary>
    public string? Metadata { get; set; }
}

/// <summary>Where the nucleus root lives: a host path on the node or a PersistentVolumeClaim.</summary>
[CrdValidation("!(has(self.hostPath) && has(self.persistentVolumeClaim))", Message = "set at most one of hostPath or persistentVolumeClaim")]
public sealed class DeviceStorage
{
    /// <summary>A directory on the edge node.</summary>
    public V1HostPathVolumeSource? HostPath { get; set; }

    /// <summary>A PersistentVolumeClaim in this namespace.</summary>
    public V1PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; set; }
}
