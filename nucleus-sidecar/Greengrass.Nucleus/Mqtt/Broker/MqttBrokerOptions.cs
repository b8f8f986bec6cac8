using System.Net;

namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>Options of the local MQTT broker (the Moquette/EMQX replacement).</summary>
internal sealed class MqttBrokerOptions
{
    /// <summary>Whether to listen at all; false when the device plan has no broker component (upstream and IPC only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>TLS listener port; 0 picks an ephemeral port (tests). Default 8883.</summary>
    public int Port { get; set; } = 8883;

    /// <summary>Address to bind. Default any IPv4 address, like <c>moquette.host</c> 0.0.0.0.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Any;

    /// <summary>Directory for the CA, server certificate, session state and auth cache.</summary>
    public string StateDirectory { get; set; } = "mqtt";

    /// <summary>
    /// Directory holding the core device CA as <c>tls.crt</c>/<c>tls.key</c> (the operator's Secret <c>&lt;device&gt;-ca</c>,
    /// mounted read-only). When set the broker issues its server certificate from it; when null (standalone) the
    /// nucleus makes and keeps its own CA under <see cref="StateDirectory"/>.
    /// </summary>
    public string? CertificateAuthorityDirectory { get; set; }

    /// <summary>Extra SAN host names/addresses for the server certificate (localhost is always present).</summary>
    public IList<string> ServerHosts { get; } = ["127.0.0.1"];

    /// <summary>Server certificate validity in seconds; Greengrass default 604800 (7 days), allowed 172800..864000.</summary>
    public int ServerCertificateValiditySeconds { get; set; } = 604800;

    /// <summary>Set TCP_NODELAY on accepted sockets. Default true: measured faster with clients that set it themselves
    /// (MQTTnet) and on par with the AWS IoT Device SDK, see docs/benchmarks.md.</summary>
    public bool NoDelay { get; set; } = true;

    /// <summary>Messages queued per session before the oldest is dropped.</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 10_000;

    /// <summary>Largest accepted MQTT packet (remaining length) in bytes; a bigger announced packet closes the connection. Default 1 MiB.</summary>
    public int MaxPacketSizeBytes { get; set; } = 1024 * 1024;

    /// <summary>Minutes a cached certificate-to-thing answer is trusted while the registry is unreachable (min 1).</summary>
    public int ClientDeviceTrustDurationMinutes { get; set; } = 1;

    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "mqtt broker port must be 0..65535");
        }

        if (ServerCertificateValiditySeconds is < 172800 or > 864000)
        {
            throw new ArgumentOutOfRangeException(nameof(ServerCertificateValiditySeconds), ServerCertificateValiditySeconds,
                "certificates.serverCertificateValiditySeconds must be between 172800 and 864000");
        }

        if (ClientDeviceTrustDurationMinutes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ClientDeviceTrustDurationMinutes), ClientDeviceTrustDurationMinutes,
                "security.clientDeviceTrustDurationMinutes must be at least 1");
        }
    }
}
