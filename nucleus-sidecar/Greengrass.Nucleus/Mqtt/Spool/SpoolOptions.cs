namespace Greengrass.Nucleus.Mqtt.Spool;

/// <summary><c>aws.greengrass.Nucleus</c> <c>mqtt.spooler</c> keys (storage is always Disk here).</summary>
internal sealed class SpoolOptions
{
    /// <summary>Spool capacity counted in payload bytes, like Greengrass. Default 2621440 (2.5 MB).</summary>
    public long MaxSizeInBytes { get; set; } = 2_621_440;

    /// <summary>Keep QoS 0 messages while upstream is offline. Default false: they are dropped.</summary>
    public bool KeepQos0WhenOffline { get; set; }

    /// <summary>Directory of the spool's log segments and delivery cursor.</summary>
    public string Directory { get; set; } = "spool";

    /// <summary>A segment file is closed and a new one started once it reaches this size.</summary>
    public long SegmentSizeBytes { get; set; } = 4 * 1024 * 1024;

    public void Validate()
    {
        if (MaxSizeInBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSizeInBytes), MaxSizeInBytes, "mqtt.spooler.maxSizeInBytes must be positive");
        }
    }
}

/// <summary>Thrown when a message cannot be spooled (larger than the spool, or the spool is full of QoS 1 messages).</summary>
internal sealed class SpoolFullException(string message) : Exception(message);

/// <summary>One spooled message bound upstream.</summary>
internal sealed record SpoolMessage(long Sequence, string Topic, ReadOnlyMemory<byte> Payload, int Qos, bool Retain);
