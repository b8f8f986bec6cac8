using Greengrass.Nucleus.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>Argument and plan errors of <c>greengrass-nucleus run</c>: a clear message and exit code 2, never a crash.</summary>
public sealed class StandaloneCommandTests
{
    [Fact]
    public async Task Run_MissingThingName_PrintsUsage()
    {
        var error = new StringWriter();

        var code = await StandaloneCommand.RunAsync(["--root", "/tmp/x"], error);

        Assert.Equal(2, code);
        Assert.Contains("--thing-name", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PlanWithBadField_NamesTheField()
    {
        using var directory = new TempDirectory();
        var plan = directory.Combine("plan.json");
        await File.WriteAllTextAsync(plan, """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":"two","creationTimestamp":"2026-01-01T00:00:00Z","groupId":"thing/t"}""");
        var error = new StringWriter();

        var code = await StandaloneCommand.RunAsync(["--root", directory.Combine("root"), "--thing-name", "t", "--plan", plan], error);

        Assert.Equal(2, code);
        Assert.Contains("revision", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.Combine("root")), "nothing was started");
    }
}
