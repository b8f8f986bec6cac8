namespace Greengrass.Nucleus.Mqtt.Bridge;

/// <summary>The upstream MQTT connection (IoT Core data endpoint, or a broker standing in for it), mutual TLS.</summary>
internal sealed class UpstreamOptions
{
    /// <summary>Host name or address of the upstream broker (<c>iotDataEndpoint</c>).</summary>
    public string Host { get; set; } = "";

    /// <summary>Port; 8883 by default, 443 uses ALPN <c>x-amzn-mqtt-ca</c>.</summary>
    public int Port { get; set; } = 8883;

    /// <summary>Client id; Greengrass uses the core's thing name.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>PEM file of the CA that signs the upstream server certificate (<c>rootCaPath</c>).</summary>
    public string CaCertificatePath { get; set; } = "";

    /// <summary>PEM file of the device certificate (<c>certificateFilePath</c>).</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM file of the device private key (<c>privateKeyPath</c>).</summary>
    public string PrivateKeyPath { get; set; } = "";

    /// <summary>Use MQTT 5 (default) or 3.1.1 (<c>mqtt.version</c>).</summary>
    public bool UseMqtt5 { get; set; } = true;

    /// <summary>Keep-alive in seconds (<c>keepAliveTimeoutMs</c>/1000). Default 60.</summary>
    public int KeepAliveSeconds { get; set; } = 60;

    /// <summary>First reconnect delay in milliseconds. Default 1000.</summary>
    public int MinReconnectDelayMs { get; set; } = 1000;

    /// <summary>Reconnect delay cap in milliseconds. Default 30000.</summary>
    public int MaxReconnectDelayMs { get; set; } = 30000;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("upstream host (iotDataEndpoint) is required", nameof(Host));
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw new ArgumentException("upstream client id (thing name) is required", nameof(ClientId));
        }

        foreach (var (name, path) in new[] { (nameof(CaCertificatePath), CaCertificatePath), (nameof(CertificatePath), CertificatePath), (nameof(PrivateKeyPath), PrivateKeyPath) })
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException($"upstream {name} '{path}' does not exist", name);
            }
        }

        if (MinReconnectDelayMs <= 0 || MaxReconnectDelayMs < MinReconnectDelayMs)
        {
            throw new ArgumentException("upstream reconnect delays must satisfy 0 < min <= max", nameof(MinReconnectDelayMs));
        }
    }
}
