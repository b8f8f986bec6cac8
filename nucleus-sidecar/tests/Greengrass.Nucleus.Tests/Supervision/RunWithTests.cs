using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Tests.Supervision;

// These tests switch users, which needs a root nucleus: the build machines and CI run as root.
public sealed class RunWithTests
{
    private static string Read(RunnerFixture fx, string file, string component = "com.example.Hello") =>
        File.ReadAllText(Path.Combine(fx.WorkDir(component), file)).Trim();

    [Fact]
    public async Task StartAsync_PosixUserNobody_RunsAsThatUserInWorkFolderItOwns()
    {
        Assert.True(PosixIdentity.Current().IsRoot, "this test needs a root nucleus (the build machines run as root)");
        await using var fx = new RunnerFixture();
        var step = RunnerFixture.Step("id -u > uid; id -g > gid; echo $HOME > home") with { RunWith = new RunWith("nobody:nogroup") };

        var result = await fx.RunAsync(step);

        Assert.True(result.Succeeded, result.Description);
        var nobody = PosixIdentity.Resolve("nobody:nogroup");
        Assert.Equal(nobody.Uid.ToString(), Read(fx, "uid"));
        Assert.Equal(nobody.Gid.ToString(), Read(fx, "gid"));
        Assert.Equal(nobody.Home, Read(fx, "home"));
    }

    [Fact]
    public async Task StartAsync_RequiresPrivilegeOnRootNucleus_RunsAsRootDespiteRunWithUser()
    {
        Assert.True(PosixIdentity.Current().IsRoot, "this test needs a root nucleus (the build machines run as root)");
        await using var fx = new RunnerFixture();
        var step = RunnerFixture.Step("id -u > uid") with { RunWith = new RunWith("nobody"), RequiresPrivilege = true };

        var result = await fx.RunAsync(step);

        Assert.True(result.Succeeded, result.Description);
        Assert.Equal("0", Read(fx, "uid"));
    }

    [Fact]
    public async Task StartAsync_InvalidPosixUser_ClearErrorForThatComponentOnly()
    {
        await using var fx = new RunnerFixture();
        var bad = RunnerFixture.Step("echo never > ran.txt", component: "com.example.Bad") with { RunWith = new RunWith("no_such_user_x") };
        var good = RunnerFixture.Step("echo ran > ran.txt", component: "com.example.Good");

        var badResult = await fx.RunAsync(bad);
        var goodResult = await fx.RunAsync(good);

        Assert.Equal(StepOutcome.ConfigurationInvalid, badResult.Outcome);
        Assert.Contains("posixUser 'no_such_user_x': user 'no_such_user_x' does not exist", badResult.Description);
        Assert.False(File.Exists(Path.Combine(fx.WorkDir("com.example.Bad"), "ran.txt")));
        Assert.True(goodResult.Succeeded);
        Assert.Contains("does not exist", File.ReadAllText(fx.Root.Combine("logs", "com.example.Bad.log")));
    }

    [Fact]
    public async Task StartAsync_RootNucleusWithoutAnyUser_RefusesToRunAsRoot()
    {
        Assert.True(PosixIdentity.Current().IsRoot, "this test needs a root nucleus (the build machines run as root)");
        await using var fx = new RunnerFixture(o => o.DefaultPosixUser = null);

        var result = await fx.RunAsync(RunnerFixture.Step("echo never"));

        Assert.Equal(StepOutcome.ConfigurationInvalid, result.Outcome);
        Assert.Contains("runWithDefault.posixUser", result.Description);
    }
}
