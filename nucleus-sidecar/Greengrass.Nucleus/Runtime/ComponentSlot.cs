using System.Security.Cryptography;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>What the host keeps for one component besides its state machine: definition, token, processes, timers.</summary>
internal sealed class ComponentSlot(PlannedComponent component)
{
    public PlannedComponent Component { get; set; } = component;

    /// <summary>The component's SVCUID: 16 random uppercase letters, as the Java nucleus issues them.</summary>
    public string Token { get; } = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16);

    /// <summary>Steps whose process tree may still be alive, by execution id.</summary>
    public Dictionary<long, RunningStep> Steps { get; } = [];

    public Dictionary<long, ITimer> Timers { get; } = [];
}
