using k8s.Models;

namespace Greengrass.Api;

/// <summary>An MQTT client device.</summary>
public sealed class ClientDeviceSpec
{
    /// <summary>The AWS IoT thing name; the device connects with it as its MQTT client ID.</summary>
    [CrdPattern(Patterns.ThingName)]
    [CrdLength(Min = 1, Max = Patterns.ThingNameMaxLength)]
    public string ThingName { get; set; } = "";

    /// <summary>Thing attributes, for selection rules.</summary>
    public IDictionary<string, string>? Attributes { get; set; }

    /// <summary>The device's X.509 certificate.</summary>
    public ClientCertificate? Certificate { get; set; }

    /// <summary>Core devices the client device is associated with, so discovery returns them.</summary>
    public CoreDeviceSelection? CoreDevices { get; set; }
}

/// <summary>Where a client device's certificate comes from: exactly one of a Secret or inline PEM.</summary>
[CrdValidation("(has(self.secretRef) ? 1 : 0) + (has(self.pem) ? 1 : 0) == 1", Message = "set exactly one of secretRef or pem")]
public sealed class ClientCertificate
{
    /// <summary>Secret holding the certificate under tls.crt.</summary>
    public SecretReference? SecretRef { get; set; }

    /// <summary>The certificate in PEM.</summary>
    [CrdPattern("^-----BEGIN CERTIFICATE-----")]
    public string? Pem { get; set; }
}

/// <summary>Core devices a client device may discover: named ones, ones matching a selector, or both.</summary>
public sealed class CoreDeviceSelection
{
    /// <summary>CoreDevice names in this namespace.</summary>
    public IList<string>? Names { get; set; }

    /// <summary>CoreDevices in this namespace whose labels match.</summary>
    public V1LabelSelector? Selector { get; set; }
}
