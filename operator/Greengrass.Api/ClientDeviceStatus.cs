using k8s.Models;

namespace Greengrass.Api;

/// <summary>Certificate status and associations of a client device.</summary>
public sealed class ClientDeviceStatus
{
    /// <summary>The metadata.generation this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>What the operator found about the device certificate.</summary>
    public ClientCertificateStatus? Certificate { get; set; }

    /// <summary>Names of the core devices discovery returns for this device.</summary>
    public IList<string>? CoreDevices { get; set; }

    /// <summary>Ready, Reconciling and Stalled.</summary>
    [CrdListMap("type")]
    public IList<V1Condition>? Conditions { get; set; }
}

/// <summary>What the operator found about a client device certificate.</summary>
public sealed class ClientCertificateStatus
{
    /// <summary>Pending, Valid, Invalid or Expired.</summary>
    [CrdEnum(typeof(CertificateStates))]
    public string? State { get; set; }

    /// <summary>SHA-256 fingerprint of the certificate, hex.</summary>
    public string? Fingerprint { get; set; }

    /// <summary>Subject of the certificate.</summary>
    public string? Subject { get; set; }

    /// <summary>End of the certificate's validity.</summary>
    public DateTime? NotAfter { get; set; }

    /// <summary>Why the certificate is not valid, when it is not.</summary>
    public string? Message { get; set; }
}
