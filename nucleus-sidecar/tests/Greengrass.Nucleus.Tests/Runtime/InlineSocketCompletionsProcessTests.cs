using System.Text.Json.Nodes;
using Greengrass.Nucleus.Tests.TestSupport;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>
/// The nucleus executable turns inline socket completions on for itself. Observable from outside: the runtime then
/// starts one socket engine thread (".NET Sockets") per processor instead of one for up to 30 processors.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class InlineSocketCompletionsProcessTests
{
    [Theory]
    [InlineData(null, 2)] // not set: the nucleus sets it, one engine thread per processor
    [InlineData("0", 1)] // an explicit 0 wins: the runtime's single engine thread
    public async Task Nucleus_Started_RunsSocketEnginesAsConfigured(string? value, int engineThreads)
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var environment = new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "2" }; // the same figure on any machine
        if (value is not null)
        {
            environment[InlineSocketCompletions.Variable] = value;
        }

        var user = Environment.UserName == "root" ? new[] { "--default-user", "root" } : [];
        await using var nucleus = NucleusProcess.Start(root, environment, user);

        // The CLI socket answering means the socket engines exist (they all start with the first socket).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "component.list" }) is null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the nucleus did not answer on its CLI socket: " + nucleus.Output);
            await Task.Delay(100);
        }

        Assert.Equal(engineThreads, SocketEngineThreads(nucleus.Id));
    }

    private static int SocketEngineThreads(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").Count(task => ThreadName(task) == ".NET Sockets");

    private static string? ThreadName(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).Trim();
        }
        catch (IOException)
        {
            return null; // the thread ended meanwhile
        }
    }
}
