using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Planning;

/// <summary>What the device runs now: each component's applied definition and its lifecycle state.</summary>
internal sealed record CurrentState(IReadOnlyDictionary<string, CurrentComponent> Components)
{
    public static CurrentState Empty { get; } = new(new Dictionary<string, CurrentComponent>(StringComparer.Ordinal));

    public static CurrentState From(IEnumerable<CurrentComponent> components) =>
        new(components.ToDictionary(c => c.Applied.Name, StringComparer.Ordinal));
}

/// <summary>One component as applied on the device, and its state.</summary>
internal sealed record CurrentComponent(PlannedComponent Applied, ComponentState State);
