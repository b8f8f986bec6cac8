using FsCheck.Xunit;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using static Greengrass.Nucleus.Contracts.ComponentState;

namespace Greengrass.Nucleus.Core.Tests.Lifecycle;

/// <summary>Random event sequences, including stale and out-of-order ones, against the machine's invariants.</summary>
public sealed class LifecyclePropertyTests
{
    private static readonly Dictionary<ComponentState, ComponentState[]> Allowed = new()
    {
        [New] = [Installed, Errored, Broken],
        [Installed] = [Starting, New, Finished],
        [Starting] = [Running, Errored, Broken, Stopping, Installed, Finished],
        [Running] = [Stopping, Errored, Broken, Finished],
        [Stopping] = [Installed, New, Finished, Errored],
        [Errored] = [Stopping, New, Installed, Finished],
        [Broken] = [New],
        [Finished] = [Installed, New],
    };

    private static readonly LifecycleDefinition Definition = new()
    {
        Install = Steps.Script("install"),
        Startup = Steps.Script("startup"),
        Run = Steps.Script("run", timeoutSeconds: 30),
        Shutdown = Steps.Script("shutdown"),
        Recover = Steps.Script("recover"),
    };

    [Property(MaxTest = 300)]
    public bool RandomEvents_KeepTheStateMachineInvariants(int seed)
    {
        var random = new Random(seed);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var machine = new ComponentLifecycle("c", LifecycleSpec.From(Definition), now, RestartPolicy.Default);
        var issued = new List<long>();
        var state = machine.State;

        for (var i = 0; i < 200; i++)
        {
            now = now.AddSeconds(random.Next(0, 400));
            var lifecycleEvent = NextEvent(random, issued);
            var result = machine.Handle(lifecycleEvent, now);
            issued.AddRange(result.Commands.OfType<RunStep>().Select(r => r.ExecutionId));
            issued.AddRange(result.Commands.OfType<StartTimer>().Select(t => t.TimerId));

            foreach (var transition in result.Transitions)
            {
                var legal = transition.From == state && Allowed[state].Contains(transition.To);
                var leftBrokenByReinstall = state != Broken ||
                    lifecycleEvent is DesiredStateChanged { Request: DesiredRequest.Reinstall };
                if (!legal || !leftBrokenByReinstall)
                {
                    return false;
                }

                state = transition.To;
            }

            if (machine.State != state || result.Commands.OfType<StartTimer>().Count() > 1)
            {
                return false;
            }
        }

        return true;
    }

    private static LifecycleEvent NextEvent(Random random, List<long> issued)
    {
        // Mostly answers to recent commands, sometimes stale ids, requests, IPC reports and dependency changes.
        long Recent() => issued.Count == 0 ? 1 : issued[Math.Max(0, issued.Count - 1 - random.Next(0, 4))];
        return random.Next(0, 10) switch
        {
            0 => new DesiredStateChanged((DesiredRequest)random.Next(0, 5)),
            1 => new StateReported((ComponentState)random.Next(0, 8)),
            2 => new DependenciesChanged(random.Next(0, 2) == 0),
            3 => new StepSpawned(Recent()),
            4 or 5 => new StepExited(Recent(), random.Next(0, 3) == 0 ? 1 : 0),
            6 => new StepSkipped(Recent()),
            7 => new StepFailed(Recent(), "cannot run"),
            _ => new TimerElapsed(Recent()),
        };
    }
}
