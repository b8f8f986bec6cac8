using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Planning;
using static Greengrass.Nucleus.Core.Tests.Planning.PlanFixtures;

namespace Greengrass.Nucleus.Core.Tests.Planning;

public sealed class NucleusRestartTests
{
    private static PlannedComponent Plugin(string version = "1.0.0") =>
        Component("aws.greengrass.clientdevices.Auth", version) with { ComponentType = ComponentType.Plugin };

    private static PlannedComponent Nucleus(string version) =>
        Component("aws.greengrass.Nucleus", version) with { ComponentType = ComponentType.Nucleus };

    private static PlannedComponent WithBootstrap(string script, string version = "1.0.0") =>
        Component("boot", version) with { Lifecycle = Component("boot").Lifecycle with { Bootstrap = new LifecycleStep { Script = script } } };

    private static readonly Dictionary<string, (DevicePlan Desired, CurrentState Current, bool Expected)> Table = new()
    {
        ["generic only"] = (Plan(Component("a", "2.0.0")), Current(Component("a")), false),
        ["plugin new"] = (Plan(Plugin()), CurrentState.Empty, true),
        ["plugin version change"] = (Plan(Plugin("2.0.0")), Current(Plugin()), true),
        ["plugin unchanged"] = (Plan(Plugin()), Current(Plugin()), false),
        ["plugin removed"] = (Plan(), Current(Plugin()), true),
        ["nucleus version change"] = (Plan(Nucleus("2.1.0")), Current(Nucleus("2.0.0")), true),
        ["nucleus same version"] = (Plan(Nucleus("2.0.0")), Current(Nucleus("2.0.0")), false),
        ["bootstrap on new component"] = (Plan(WithBootstrap("b")), CurrentState.Empty, true),
        ["bootstrap unchanged"] = (Plan(WithBootstrap("b")), Current(WithBootstrap("b")), false),
        ["bootstrap changed"] = (Plan(WithBootstrap("b2")), Current(WithBootstrap("b")), true),
        ["bootstrap with version change"] = (Plan(WithBootstrap("b", "2.0.0")), Current(WithBootstrap("b")), true),
        ["operator flag"] = (Plan() with { RequiresNucleusRestart = true }, CurrentState.Empty, true),
    };

    public static TheoryData<string> Cases => [.. Table.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsRequired_Case_MatchesGreengrassBootstrapRules(string what)
    {
        var (desired, current, expected) = Table[what];
        var reasons = NucleusRestart.Reasons(desired, current);

        Assert.True(expected == (reasons.Count > 0), $"{what}: reasons [{string.Join("; ", reasons)}]");
        Assert.Equal(expected, NucleusRestart.IsRequired(desired, current));
    }

    [Fact]
    public void BootstrapTargets_OnlyComponentsWhoseBootstrapMustRun()
    {
        var desired = Plan(WithBootstrap("b2"), Component("plain"));

        Assert.Equal(["boot"], NucleusRestart.BootstrapTargets(desired, Current(WithBootstrap("b"))).Select(c => c.Name));
        Assert.Empty(NucleusRestart.BootstrapTargets(Plan(WithBootstrap("b")), Current(WithBootstrap("b"))));
    }
}
