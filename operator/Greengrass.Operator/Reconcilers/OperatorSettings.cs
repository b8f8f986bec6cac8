namespace Greengrass.Operator.Reconcilers;

/// <summary>Settings of the reconcilers, bound from the command line and environment.</summary>
internal sealed class OperatorSettings
{
    /// <summary>Nucleus image for CoreDevices that name none.</summary>
    public string NucleusImage { get; init; } = "ghcr.io/greengrass-edge/greengrass-nucleus:0.1.0";

    /// <summary>Nucleus version reported for CoreDevices that name none.</summary>
    public string NucleusVersion { get; init; } = "0.1.0";

    /// <summary>A nucleus silent for longer than this is OFFLINE. Default 90 s (the nucleus reports at least every 30 s).</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Host directory under which nucleus roots live when a CoreDevice names no storage.</summary>
    public string HostPathRoot { get; init; } = "/var/lib/greengrass";
}
