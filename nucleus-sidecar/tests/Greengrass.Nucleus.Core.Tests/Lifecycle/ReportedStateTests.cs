using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using static Greengrass.Nucleus.Contracts.ComponentState;

namespace Greengrass.Nucleus.Core.Tests.Lifecycle;

public sealed class ReportedStateTests
{
    private const string Name = "com.example.Reporter";

    public static TheoryData<ComponentState, ComponentState, bool> Table => new()
    {
        // from, reported, accepted (GREENGRASS.md §2.4)
        { Starting, Running, true },
        { Starting, Errored, true },
        { Starting, Finished, true },
        { Running, Errored, true },
        { Running, Finished, true },
        { Running, Running, false },
        { Running, Installed, false },
        { Running, Broken, false },
        { Starting, Stopping, false },
        { Installed, Running, false },
        { Installed, Errored, false },
        { Finished, Running, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void StateReported_FromState_AcceptedOnlyAsGreengrassAllows(ComponentState from, ComponentState reported, bool accepted)
    {
        var host = HostIn(from);
        var before = host.Transitions.Count;

        host.Send(Name, new StateReported(reported));

        Assert.Equal(accepted, host.Transitions.Count > before);
        Assert.Equal(!accepted, host.Ignored.Any(i => i.Reason.StartsWith("reported", StringComparison.Ordinal)));
    }

    [Fact]
    public void StateReported_ErroredWhileStopping_Accepted()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Shutdown, StepOutcome.Hang);
        host.Request(Name, DesiredRequest.Start);
        host.Request(Name, DesiredRequest.Stop);

        host.Send(Name, new StateReported(Errored));

        Assert.Equal([Stopping, Errored, Finished], host.StatesOf(Name).Skip(4));
    }

    private static LifecycleHarness HostIn(ComponentState state)
    {
        var host = new LifecycleHarness().Add(Name, Steps.StartupService);
        switch (state)
        {
            case Installed:
                host.Request(Name, DesiredRequest.Install);
                break;
            case Starting:
                host.Script(Name, LifecycleStepKind.Startup, StepOutcome.Spawn);
                host.Request(Name, DesiredRequest.Start);
                break;
            case Running:
                host.Request(Name, DesiredRequest.Start);
                break;
            case Finished:
                host.Request(Name, DesiredRequest.Start);
                host.Request(Name, DesiredRequest.Stop);
                break;
        }

        Assert.Equal(state, host[Name]);
        return host;
    }
}
