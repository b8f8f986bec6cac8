namespace Greengrass.Nucleus.Contracts;

/// <summary>Checks the MQTT section of a plan: ports, names, certificates and the file names of the upstream Secret.</summary>
internal static class MqttPlanValidator
{
    public static void Validate(MqttPlan? mqtt, List<string> errors)
    {
        if (mqtt is null)
        {
            return;
        }

        if (mqtt.Broker is { } broker)
        {
            Port(errors, "mqtt.broker.port", broker.Port);
        }

        var things = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mqtt.ClientDevices.Count; i++)
        {
            var device = mqtt.ClientDevices[i];
            if (string.IsNullOrWhiteSpace(device.ThingName))
            {
                errors.Add($"mqtt.clientDevices[{i}].thingName: must not be empty");
            }
            else if (!things.Add(device.ThingName))
            {
                errors.Add($"mqtt.clientDevices[{i}].thingName: '{device.ThingName}' appears more than once");
            }

            if (!device.CertificatePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                errors.Add($"mqtt.clientDevices[{i}].certificatePem: must be a PEM certificate");
            }
        }

        if (mqtt.Upstream is { } upstream)
        {
            if (string.IsNullOrWhiteSpace(upstream.Host))
            {
                errors.Add("mqtt.upstream.host: must not be empty");
            }

            if (string.IsNullOrWhiteSpace(upstream.ClientId))
            {
                errors.Add("mqtt.upstream.clientId: must not be empty");
            }

            Port(errors, "mqtt.upstream.port", upstream.Port);
            FileName(errors, "mqtt.upstream.certificateFile", upstream.CertificateFile);
            FileName(errors, "mqtt.upstream.privateKeyFile", upstream.PrivateKeyFile);
            FileName(errors, "mqtt.upstream.caCertificateFile", upstream.CaCertificateFile);
        }

        if (mqtt.Spooler.MaxSizeInBytes < 0)
        {
            errors.Add($"mqtt.spooler.maxSizeInBytes: must not be negative, was {mqtt.Spooler.MaxSizeInBytes}");
        }

        if (mqtt.Spooler.StorageType is not ("Memory" or "Disk"))
        {
            errors.Add($"mqtt.spooler.storageType: '{mqtt.Spooler.StorageType}' must be Memory or Disk");
        }
    }

    private static void Port(List<string> errors, string field, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{field}: must be 1..65535, was {port}");
        }
    }

    // A name inside the mounted Secret: never a path that could leave the mount.
    private static void FileName(List<string> errors, string field, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            errors.Add($"{field}: '{name}' must be a file name inside the Secret mount");
        }
    }
}
