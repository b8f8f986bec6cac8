using System.Diagnostics;
using Greengrass.Operator.Cli;
using Greengrass.Operator.Crds;
using Greengrass.Operator.Tests.Support;

namespace Greengrass.Operator.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("greengrass-crds-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Run_NoArguments_PrintsUsageAndExits2()
    {
        Assert.Equal(ExitCodes.Usage, await RunAsync());
        Assert.Contains("crds generate --output DIR", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_PrintsUsageAndExits0()
    {
        Assert.Equal(ExitCodes.Success, await RunAsync("--help"));
        Assert.Contains("crds generate --output DIR", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownCommand_SaysSoAndExits2()
    {
        Assert.Equal(ExitCodes.Usage, await RunAsync("crds", "explode"));
        Assert.Contains("unknown command 'crds explode'", _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing --output DIR")]
    [InlineData("--output needs a value", "--output")]
    [InlineData("unknown argument '--out'", "--out", "x")]
    [InlineData("--output given twice", "--output", "a", "--output=b")]
    public async Task CrdsGenerate_BadArguments_ExplainAndExit2(string message, params string[] arguments)
    {
        Assert.Equal(ExitCodes.Usage, await RunAsync(["crds", "generate", .. arguments]));
        Assert.Contains(message, _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: greengrass crds generate --output DIR", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrdsGenerate_WritesOneFilePerKind_ThenLeavesThemAlone()
    {
        Assert.Equal(ExitCodes.Success, await RunAsync("crds", "generate", "--output", _directory));
        foreach (var file in CrdGenerator.GenerateAll())
        {
            Assert.Equal(file.Content, await File.ReadAllTextAsync(Path.Combine(_directory, file.FileName)));
        }

        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Success, await RunAsync("crds", "generate", $"--output={_directory}"));
        Assert.Equal(4, _out.ToString().Split('\n').Count(line => line.StartsWith("unchanged ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CrdsGenerate_StaleGeneratedFile_IsRemovedButOtherFilesStay()
    {
        var stale = Path.Combine(_directory, "greengrass.edge.dev_oldkinds.yaml");
        var other = Path.Combine(_directory, "README.md");
        await File.WriteAllTextAsync(stale, "old");
        await File.WriteAllTextAsync(other, "mine");

        Assert.Equal(ExitCodes.Success, await RunAsync("crds", "generate", "--output", _directory));

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public async Task CrdsGenerate_OutputIsAFile_FailsWithOneLine()
    {
        var file = Path.Combine(_directory, "taken");
        await File.WriteAllTextAsync(file, "");

        Assert.Equal(ExitCodes.Failure, await RunAsync("crds", "generate", "--output", file));

        var error = _error.ToString();
        Assert.StartsWith("greengrass crds generate: ", error, StringComparison.Ordinal);
        Assert.Contains(file, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task GreengrassExecutable_CrdsGenerate_WritesTheCommittedFiles()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "greengrass.dll"), "crds", "generate", "--output", "out"])
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stdout}{await stderr}");
        foreach (var committed in Directory.EnumerateFiles(RepositoryPaths.Crds))
        {
            Assert.Equal(await File.ReadAllTextAsync(committed), await File.ReadAllTextAsync(Path.Combine(_directory, "out", Path.GetFileName(committed))));
        }
    }

    private Task<int> RunAsync(params string[] arguments) =>
        new CommandLine([new CrdsGenerateCommand()]).RunAsync(arguments, new CliContext(_out, _error), CancellationToken.None);
}
