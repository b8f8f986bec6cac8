using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Core.Planning;
using Greengrass.Nucleus.Ipc.Services;

namespace Greengrass.Nucleus.Runtime;

/// <summary>Stopping the whole device when the nucleus shuts down.</summary>
internal sealed partial class NucleusRuntime
{
    /// <summary>Stops every component, dependents first, each within the stop timeout; then kills what is left.</summary>
    private async Task StopAllComponentsAsync(CancellationToken ct)
    {
        var order = await PostAsync(() => DependencyGraph.From(_slots.Values.Select(s => s.Component)) is { Cycle: null } graph
            ? graph.StopOrder()
            : [.. _slots.Keys]);
        foreach (var name in order)
        {
            await PostAsync(() =>
            {
                HandleEvent(name, new DesiredStateChanged(DesiredRequest.Stop));
                return true;
            });
            await WaitUntilClosableAsync(name, ct);
        }

        await PostAsync(() =>
        {
            foreach (var slot in _slots.Values)
            {
                KillAll(slot);
                foreach (var timer in slot.Timers.Values)
                {
                    timer.Dispose();
                }

                slot.Timers.Clear();
            }

            return true;
        });
    }
}
