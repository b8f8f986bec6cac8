using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Tests.Supervision;

public sealed class EnvironmentTests
{
    private static Dictionary<string, string> ReadEnv(RunnerFixture fx, string component = "com.example.Hello") =>
        File.ReadAllLines(Path.Combine(fx.WorkDir(component), "env.txt"))
            .Where(l => l.Contains('='))
            .Select(l => l.Split('=', 2))
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    [Fact]
    public async Task StartAsync_Always_ExportsGreengrassVariablesToScript()
    {
        await using var fx = new RunnerFixture(o => o.TokenExchangePort = 8090);
        var step = RunnerFixture.Step("env > env.txt", step: "Uninstall") with { ServiceToken = "token-123", ComponentVersion = "1.2.3" };

        await fx.RunAsync(step);

        var env = ReadEnv(fx);
        Assert.Equal("edge-thing-1", env["AWS_IOT_THING_NAME"]);
        Assert.Equal("eu-west-1", env["AWS_REGION"]);
        Assert.Equal("eu-west-1", env["AWS_DEFAULT_REGION"]);
        Assert.Equal("2.14.0", env["GGC_VERSION"]);
        Assert.Equal("token-123", env["SVCUID"]);
        Assert.Equal("token-123", env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]);
        Assert.Equal("http://localhost:8090/2016-11-01/credentialprovider/", env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
        Assert.Equal(fx.Root.Combine("rootCA.pem"), env["GG_ROOT_CA_PATH"]);
        Assert.Equal(fx.Root.Combine("ipc.socket"), env["AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH"]);
        Assert.Equal(fx.Root.Combine("ipc.socket"), env["AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT"]);
        Assert.Equal("1.2.3", env["GREENGRASS_COMPONENT_VERSION"]);
        Assert.False(string.IsNullOrEmpty(env["PATH"]));
    }

    [Fact]
    public async Task StartAsync_NoTokenExchangePortNorToken_LeavesCredentialVariablesUnset()
    {
        await using var fx = new RunnerFixture();

        await fx.RunAsync(RunnerFixture.Step("env > env.txt"));

        var env = ReadEnv(fx);
        Assert.False(env.ContainsKey("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
        Assert.False(env.ContainsKey("SVCUID"));
        Assert.False(env.ContainsKey("GREENGRASS_COMPONENT_VERSION"));
    }

    [Fact]
    public async Task StartAsync_SkipifExistsWithTilde_ExpandsToStepHome()
    {
        await using var fx = new RunnerFixture();
        var home = fx.Root.Combine("home");
        Directory.CreateDirectory(home);
        await File.WriteAllTextAsync(Path.Combine(home, ".tool-installed"), "");
        var step = RunnerFixture.Step("echo ran") with
        {
            SkipIf = "exists ~/.tool-installed",
            LifecycleSetenv = new Dictionary<string, string> { ["HOME"] = home },
        };

        var result = await fx.RunAsync(step);

        Assert.Equal(StepOutcome.Skipped, result.Outcome);
    }

    [Fact]
    public async Task StartAsync_SocketPathOf108CharsOrMore_GivesComponentsPathRelativeToWorkFolder()
    {
        await using var fx = new RunnerFixture();
        var longRoot = fx.Root.Combine(new string('r', 120 - fx.Root.Path.Length));
        fx.Options.IpcSocketPath = Path.Combine(longRoot, "ipc.socket");
        await File.WriteAllTextAsync(fx.Root.Combine("marker"), "x");
        var step = RunnerFixture.Step("env > env.txt");

        await fx.RunAsync(step);

        var env = ReadEnv(fx);
        Assert.True(env["AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH"].Length >= 108);
        var relative = env["AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT"];
        Assert.False(Path.IsPathRooted(relative));
        Assert.True(relative.Length < 108);
        Assert.Equal(fx.Options.IpcSocketPath, Path.GetFullPath(Path.Combine(fx.WorkDir("com.example.Hello"), relative)));
    }

    [Fact]
    public async Task StartAsync_SetenvAtEveryLevel_StepWinsOverLifecycleOverServiceOverGlobal()
    {
        await using var fx = new RunnerFixture(o =>
        {
            o.GlobalSetenv["LAYER_A"] = "global";
            o.GlobalSetenv["LAYER_B"] = "global";
            o.GlobalSetenv["LAYER_C"] = "global";
            o.GlobalSetenv["LAYER_D"] = "global";
        });
        var step = RunnerFixture.Step("env > env.txt") with
        {
            ServiceSetenv = new Dictionary<string, string> { ["LAYER_B"] = "service", ["LAYER_C"] = "service", ["LAYER_D"] = "service" },
            LifecycleSetenv = new Dictionary<string, string> { ["LAYER_C"] = "lifecycle", ["LAYER_D"] = "lifecycle", ["AWS_REGION"] = "overridden" },
            StepSetenv = new Dictionary<string, string> { ["LAYER_D"] = "step" },
        };

        await fx.RunAsync(step);

        var env = ReadEnv(fx);
        Assert.Equal("global", env["LAYER_A"]);
        Assert.Equal("service", env["LAYER_B"]);
        Assert.Equal("lifecycle", env["LAYER_C"]);
        Assert.Equal("step", env["LAYER_D"]);
        Assert.Equal("overridden", env["AWS_REGION"]);
    }

    [Theory]
    [InlineData("onpath sh", true)]
    [InlineData("onpath no-such-tool-anywhere", false)]
    [InlineData("!onpath sh", false)]
    [InlineData("!onpath no-such-tool-anywhere", true)]
    public async Task StartAsync_SkipifOnpath_SkipsOnlyWhenExecutableFound(string skipIf, bool skipped)
    {
        await using var fx = new RunnerFixture();
        var result = await fx.RunAsync(RunnerFixture.Step("echo ran > ran.txt") with { SkipIf = skipIf });

        Assert.Equal(skipped ? StepOutcome.Skipped : StepOutcome.Exited, result.Outcome);
        Assert.True(result.Succeeded);
        Assert.Equal(!skipped, File.Exists(Path.Combine(fx.WorkDir("com.example.Hello"), "ran.txt")));
    }

    [Fact]
    public async Task StartAsync_SkipifExists_SkipsWhenFileExistsAndRunsWhenNot()
    {
        await using var fx = new RunnerFixture();
        var marker = fx.Root.Combine("installed.marker");
        var step = RunnerFixture.Step($"echo ran >> ran.txt; touch {marker}") with { SkipIf = $"exists {marker}" };

        var first = await fx.RunAsync(step);
        var second = await fx.RunAsync(step);

        Assert.Equal(StepOutcome.Exited, first.Outcome);
        Assert.Equal(StepOutcome.Skipped, second.Outcome);
        Assert.Single(File.ReadAllLines(Path.Combine(fx.WorkDir("com.example.Hello"), "ran.txt")));
    }

    [Fact]
    public async Task StartAsync_SkipifInvalidSyntax_ReportsConfigurationInvalid()
    {
        await using var fx = new RunnerFixture();
        var result = await fx.RunAsync(RunnerFixture.Step("echo ran") with { SkipIf = "whenever sh" });

        Assert.Equal(StepOutcome.ConfigurationInvalid, result.Outcome);
        Assert.Contains("Skipif 'whenever sh' is not valid", result.Description);
    }
}
