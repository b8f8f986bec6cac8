using Greengrass.Nucleus.Supervision;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Supervision;

/// <summary>A nucleus root in a temp folder and a real <see cref="ProcessRunner"/> over it.</summary>
internal sealed class RunnerFixture : IAsyncDisposable
{
    private readonly List<RunningStep> _started = [];

    public RunnerFixture(Action<ProcessRunnerOptions>? configure = null)
    {
        Options = new ProcessRunnerOptions
        {
            RootPath = Root.Path,
            ThingName = "edge-thing-1",
            AwsRegion = "eu-west-1",
            NucleusVersion = "2.14.0",
            DefaultPosixUser = "root",
            GracefulStopTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(Options);
        Runner = new ProcessRunner(Options, TimeProvider.System, Logger);
    }

    public TempDirectory Root { get; } = new();

    public ProcessRunnerOptions Options { get; }

    public ListLogger<ProcessRunner> Logger { get; } = new();

    public ProcessRunner Runner { get; }

    public string WorkDir(string component) => Root.Combine("work", component);

    public static StepInvocation Step(string script, string component = "com.example.Hello", string step = "Run") =>
        new() { ComponentName = component, StepName = step, Script = script };

    public async Task<RunningStep> StartAsync(StepInvocation step)
    {
        var running = await Runner.StartAsync(step, CancellationToken.None);
        _started.Add(running);
        return running;
    }

    public async Task<StepResult> RunAsync(StepInvocation step) =>
        await Eventually.WithinAsync((await StartAsync(step)).Exited, step.ScriptName);

    public async ValueTask DisposeAsync()
    {
        foreach (var step in _started)
        {
            await step.StopAsync(TimeSpan.FromMilliseconds(200));
            await step.DisposeAsync();
        }

        Runner.Dispose();
        Root.Dispose();
    }
}
