using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Tests.Threading;

public sealed class ThreadPoolHopTests
{
    [Fact]
    public async Task Ensure_OnADedicatedThread_ContinuesOnTheThreadPool()
    {
        // A dedicated thread stands in for a socket engine thread running an inline completion.
        var result = new TaskCompletionSource<(bool Before, bool After, int BeforeId, int AfterId)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? run = null;
        var thread = new Thread(() => run = RunAsync(result)) { IsBackground = true };
        thread.Start();

        var (before, after, beforeId, afterId) = await result.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(before);
        Assert.True(after);
        Assert.NotEqual(beforeId, afterId);
        thread.Join();
        await run!;
    }

    [Fact]
    public async Task Ensure_OnAThreadPoolThread_ContinuesSynchronously()
    {
        var (before, after, beforeId, afterId) = await Task.Run(async () =>
        {
            var id = Environment.CurrentManagedThreadId;
            var pool = Thread.CurrentThread.IsThreadPoolThread;
            var hop = ThreadPoolHop.Ensure();
            var completed = hop.IsCompleted;
            await hop;
            return (pool && completed, Thread.CurrentThread.IsThreadPoolThread, id, Environment.CurrentManagedThreadId);
        });

        Assert.True(before);
        Assert.True(after);
        Assert.Equal(beforeId, afterId);
    }

    private static async Task RunAsync(TaskCompletionSource<(bool, bool, int, int)> result)
    {
        var before = Thread.CurrentThread.IsThreadPoolThread;
        var beforeId = Environment.CurrentManagedThreadId;
        await ThreadPoolHop.Ensure();
        result.SetResult((before, Thread.CurrentThread.IsThreadPoolThread, beforeId, Environment.CurrentManagedThreadId));
    }
}

public sealed class InlineSocketCompletionsTests
{
    [Fact]
    public void Enable_VariableUnset_SetsItToOne()
    {
        var env = new Dictionary<string, string>();

        var inline = InlineSocketCompletions.Enable(n => env.GetValueOrDefault(n), (n, v) => env[n] = v);

        Assert.True(inline);
        Assert.Equal("1", env[InlineSocketCompletions.Variable]);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    public void Enable_VariableSetExplicitly_KeepsIt(string value, bool expected)
    {
        var env = new Dictionary<string, string> { [InlineSocketCompletions.Variable] = value };

        var inline = InlineSocketCompletions.Enable(n => env.GetValueOrDefault(n), (n, v) => env[n] = v);

        Assert.Equal(expected, inline);
        Assert.Equal(value, env[InlineSocketCompletions.Variable]);
    }

    [Fact]
    public void CurrentProcessEnvironment_NucleusRunsInline_ComponentsDoNotInheritTheKnob()
    {
        // The test host's socket engine started long ago, so setting the variable here changes nothing for it.
        var before = Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable);
        Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, "1");
        try
        {
            var inherited = Greengrass.Nucleus.Supervision.StepEnvironmentBuilder.CurrentProcessEnvironment();

            Assert.DoesNotContain(InlineSocketCompletions.Variable, inherited.Keys);
            Assert.Contains("PATH", inherited.Keys);
        }
        finally
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, before);
        }
    }
}
