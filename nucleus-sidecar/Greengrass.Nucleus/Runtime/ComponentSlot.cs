using System.Security.Cryptography;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>What the host keeps for one component besides its state machine: definition, token, processes, timers.</summary>
internal sealed class ComponentSlot(PlannedComponent component)
{
    private PlannedComponent _component = component;

    public PlannedComponent Component
    {
        get => _component;
        set
        {
            // A new version or artifact list must be fetched again before its first step.
            ArtifactsReady &= value.Version == _component.Version && value.Artifacts.SequenceEqual(_component.Artifacts);
            _component = value;
        }
    }

    /// <summary>Whether the artifacts of <see cref="Component"/> were prepared since this slot was created or last changed.</summary>
    public bool ArtifactsReady { get; set; }

    /// <summary>The component's SVCUID: 16 random uppercase letters, as the Java nucleus issues them.</summary>
    public string Token { get; } = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16);

    /// <summary>Steps whose process tree may still be alive, by execution id.</summary>
    public Dictionary<long, RunningStep> Steps { get; } = [];

    public Dictionary<long, ITimer> Timers { get; } = [];
}
