using Greengrass.Nucleus.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Greengrass.Nucleus.Supervision;

/// <summary>
/// A started lifecycle step: its process tree, its output pumped line by line into the component log,
/// its timeout, and the way to stop it (SIGTERM to the tree, grace period, SIGKILL to the tree).
/// </summary>
internal sealed partial class RunningStep : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillConfirmLimit = TimeSpan.FromSeconds(10);

    private readonly StepInvocation _step;
    private readonly ComponentLog? _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _defaultGrace;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly HashSet<int> _knownTree = [];
    private readonly Queue<string> _stderrTail = new();
    private readonly Lock _gate = new();
    private readonly Task? _timeoutWatch;
    private Task<StepResult>? _stopping;
    private StepOutcome? _cause;
    private int _disposed;

    private RunningStep(StepInvocation step, StepResult result)
    {
        _step = step;
        _time = TimeProvider.System;
        _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Exited = Task.FromResult(result);
        Limits = LimitStatus.NoneRequested;
    }

    public RunningStep(
        StepInvocation step, SpawnedProcess process, ComponentLog log, LimitStatus limits, TimeProvider time, ILogger logger, TimeSpan defaultGrace)
    {
        _step = step;
        _log = log;
        _time = time;
        _logger = logger;
        _defaultGrace = defaultGrace;
        ProcessId = process.Pid;
        Limits = limits;
        var wait = Task.Factory.StartNew(() => WaitForExit(process.Pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var pumps = Task.WhenAll(Pump(process.Stdout, isError: false), Pump(process.Stderr, isError: true));
        Exited = CompleteAsync(wait, pumps);
        if (step.Timeout is { } timeout)
        {
            _timeoutWatch = WatchTimeoutAsync(timeout);
        }
    }

    public StepInvocation Step => _step;

    /// <summary>Pid of the shell, which is also the process group id of the whole step; null if nothing ran.</summary>
    public int? ProcessId { get; }

    public LimitStatus Limits { get; }

    /// <summary>Completes when the step's shell has exited (or was never started), with how it ended.</summary>
    public Task<StepResult> Exited { get; }

    /// <summary>A step that ended before any process started (skipped, invalid, failed to spawn).</summary>
    public static RunningStep Completed(StepInvocation step, StepResult result) => new(step, result);

    /// <summary>
    /// Stops the step: SIGTERM to its process group and every descendant, up to <paramref name="grace"/>
    /// (default: the runner's graceful stop timeout) for all of them to exit, then SIGKILL to what is left.
    /// Also clears processes the script left running in the background after its shell exited.
    /// </summary>
    public Task<StepResult> StopAsync(TimeSpan? grace = null) => StopCoreAsync(grace ?? _defaultGrace, StepOutcome.Stopped);

    public async ValueTask DisposeAsync()
    {
        // A step that exits while the whole component is being killed is disposed by both paths.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _lifetime.CancelAsync();
        if (_timeoutWatch is not null)
        {
            await _timeoutWatch;
        }

        if (ProcessId is not null && !Exited.IsCompleted)
        {
            await StopAsync();
        }

        _lifetime.Dispose();
    }

    private Task<StepResult> StopCoreAsync(TimeSpan grace, StepOutcome cause)
    {
        if (ProcessId is not { } pid)
        {
            return Exited;
        }

        lock (_gate)
        {
            if (!Exited.IsCompleted)
            {
                _cause ??= cause;
            }

            return _stopping ??= TerminateTreeAsync(pid, grace);
        }
    }

    private async Task<StepResult> TerminateTreeAsync(int pid, TimeSpan grace)
    {
        SignalTree(pid, PosixNative.SIGTERM);
        if (!await WaitUntilTreeGoneAsync(pid, grace))
        {
            SignalTree(pid, PosixNative.SIGKILL);
            await WaitUntilTreeGoneAsync(pid, KillConfirmLimit);
        }

        var result = await Exited;
        ReapAdoptedOrphans(pid);
        return result;
    }

    private void SignalTree(int pid, int signal)
    {
        var members = ProcessTree.LivingMembers(pid, pid);
        lock (_gate)
        {
            _knownTree.UnionWith(members);
            members.UnionWith(_knownTree.Where(ProcessTree.IsAlive));
        }

        if (members.Count == 0)
        {
            return;
        }

        var signalName = PosixNative.SignalName(signal);
        SupervisionLog.Signalling(_logger, _step.ScriptName, pid, signalName, members.Count);
        _ = PosixNative.Kill(-pid, signal);
        foreach (var member in members)
        {
            _ = PosixNative.Kill(member, signal);
        }
    }

    private async Task<bool> WaitUntilTreeGoneAsync(int pid, TimeSpan limit)
    {
        var deadline = _time.GetUtcNow() + limit;
        while (true)
        {
            // While the shell itself runs the tree is not gone; only then is /proc worth scanning.
            if (Exited.IsCompleted)
            {
                lock (_gate)
                {
                    if (ProcessTree.LivingMembers(pid, pid).Count == 0 && !_knownTree.Any(ProcessTree.IsAlive))
                    {
                        return true;
                    }
                }
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, _time);
        }
    }

    // Descendants orphaned by the shell's exit were adopted by the nucleus (child subreaper); collect their exit status.
    private void ReapAdoptedOrphans(int pid)
    {
        lock (_gate)
        {
            foreach (var orphan in _knownTree.Where(p => p != pid))
            {
                _ = PosixNative.WaitPid(orphan, out _, PosixNative.WNOHANG);
            }
        }
    }

    private async Task WatchTimeoutAsync(TimeSpan timeout)
    {
        try
        {
            var finished = await Task.WhenAny(Exited, Task.Delay(timeout, _time, _lifetime.Token));
            if (finished != Exited && !Exited.IsCompleted)
            {
                await StopCoreAsync(_defaultGrace, StepOutcome.TimedOut);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Disposed before the timeout: nothing to enforce any more.
        }
    }
}
