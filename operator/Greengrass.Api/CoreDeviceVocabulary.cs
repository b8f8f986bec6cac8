namespace Greengrass.Api;

/// <summary>Values of a CoreDevice's <c>nucleus.logging.level</c>.</summary>
public static class NucleusLogLevels
{
    /// <summary>Everything.</summary>
    public const string Trace = "TRACE";

    /// <summary>Diagnostics.</summary>
    public const string Debug = "DEBUG";

    /// <summary>Normal operation (the default).</summary>
    public const string Info = "INFO";

    /// <summary>Problems the nucleus recovers from.</summary>
    public const string Warn = "WARN";

    /// <summary>Failures only.</summary>
    public const string Error = "ERROR";
}

/// <summary>Values of a CoreDevice's <c>nucleus.logging.format</c>.</summary>
public static class NucleusLogFormats
{
    /// <summary>Human-readable lines (the default).</summary>
    public const string Text = "TEXT";

    /// <summary>One JSON object per line.</summary>
    public const string Json = "JSON";
}

/// <summary>Values of a CoreDevice's <c>mqtt.spooler.storageType</c>.</summary>
public static class SpoolerStorageTypes
{
    /// <summary>Spool in memory; lost on restart (the Greengrass default).</summary>
    public const string Memory = "Memory";

    /// <summary>Spool on the device's storage; survives restarts.</summary>
    public const string Disk = "Disk";
}
