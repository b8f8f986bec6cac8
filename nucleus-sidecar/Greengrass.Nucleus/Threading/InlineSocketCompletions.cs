namespace Greengrass.Nucleus.Threading;

/// <summary>
/// The nucleus runs socket continuations inline on the runtime's socket engine threads instead of handing each one to
/// the thread pool: one thread hop less per read, about 15% less CPU per QoS 1 message through the local broker
/// (docs/benchmarks.md, "MQTT broker, bridge spool", with the audit of what runs after socket awaits). The runtime
/// reads <see cref="Variable"/> once, when its socket engine starts, so <see cref="Enable()"/> runs first thing in
/// <c>Main</c>, whichever way the nucleus is launched (pod, standalone, <c>--supervise</c>, benchmark). An explicit
/// value in the environment wins (<c>0</c> turns it off).
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets the variable to 1 unless it is set already; returns whether socket completions now run inline.</summary>
    public static bool Enable(Func<string, string?> read, Action<string, string> write)
    {
        if (read(Variable) is { } explicitValue)
        {
            return explicitValue == "1";
        }

        write(Variable, "1");
        return true;
    }

    /// <summary><see cref="Enable(Func{string, string?}, Action{string, string})"/> on this process's environment.</summary>
    public static bool Enable() => Enable(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);
}
