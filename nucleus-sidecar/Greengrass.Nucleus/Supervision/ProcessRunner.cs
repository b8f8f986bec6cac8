using System.Globalization;
using Greengrass.Nucleus.Logging;
using Greengrass.Nucleus.Storage;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Supervision;

/// <summary>
/// Runs lifecycle steps the way the Greengrass nucleus does on Linux: <c>sh -c &lt;script&gt;</c> in
/// <c>&lt;root&gt;/work/&lt;component&gt;</c>, as the runWith user, in a new process group, with the §2.3
/// environment, optional cgroup v2 limits, and output copied into <c>logs/&lt;component&gt;.log</c>.
/// </summary>
internal sealed class ProcessRunner : IProcessRunner, IDisposable
{
    private readonly ProcessRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProcessRunner> _logger;
    private readonly NucleusPaths _paths;
    private readonly ComponentLogs _logs;
    private readonly CgroupLimiter _cgroups;
    private readonly PosixIdentity _self = PosixIdentity.Current();
    private readonly Dictionary<string, string> _inherited = StepEnvironmentBuilder.CurrentProcessEnvironment();

    public ProcessRunner(ProcessRunnerOptions options, TimeProvider time, ILogger<ProcessRunner> logger)
    {
        options.Validate();
        _options = options;
        _time = time;
        _logger = logger;
        _paths = new NucleusPaths(options.RootPath);
        _logs = new ComponentLogs(_paths.LogsDirectory, options.LogFileMaxBytes, options.LogFilesKept, time);
        _cgroups = new CgroupLimiter(options.CgroupRoot);

        // Scripts that background a child and exit leave orphans; adopting them lets a stop find and reap them.
        PosixNative.TryBecomeSubreaper();
    }

    public ComponentLog LogOf(string componentName) => _logs.For(componentName);

    public Task<RunningStep> StartAsync(StepInvocation step, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult(Start(step));
        }
        catch (FormatException ex)
        {
            return Task.FromResult(NotRun(step, StepResult.Invalid(ex.Message)));
        }
        catch (StepStartException ex)
        {
            return Task.FromResult(NotRun(step, StepResult.NotStarted(ex.Message)));
        }
    }

    private RunningStep Start(StepInvocation step)
    {
        Validate(step);
        var workDirectory = _paths.ComponentWorkPath(step.ComponentName);
        var (owner, runAs) = ChooseIdentity(step);
        var environment = StepEnvironmentBuilder.Build(step, _options, _inherited, workDirectory, runAs ?? owner);
        if (step.SkipIf is { } skipIf && SkipIfCondition.Parse(skipIf).ShouldSkip(environment))
        {
            var skipped = StepResult.Skipped($"Skipif '{skipIf}' holds");
            SupervisionLog.StepSkipped(_logger, step.ScriptName, skipped.Description);
            return RunningStep.Completed(step, skipped);
        }

        EnsureWorkDirectory(workDirectory, owner);
        var limits = step.RunWith?.SystemResourceLimits ?? _options.DefaultResourceLimits;
        var (cgroup, limitStatus) = _cgroups.Prepare(step.ComponentName, limits);
        var (program, argv) = BuildCommand(step.Script, environment, runAs, gated: cgroup is not null);
        var process = ProcessSpawner.Spawn(program, argv, environment, workDirectory, withGate: cgroup is not null);
        if (cgroup is not null)
        {
            limitStatus = CgroupLimiter.MoveIn(cgroup, process.Pid, limitStatus);
            ReleaseGate(process);
        }

        if (limits is not null && !limitStatus.Enforced)
        {
            SupervisionLog.LimitsNotEnforced(_logger, step.ComponentName, limitStatus.Description);
        }

        SupervisionLog.StepStarted(_logger, step.ScriptName, process.Pid, (runAs ?? _self).UserName, limitStatus.Description);
        return new RunningStep(step, process, _logs.For(step.ComponentName), limitStatus, _time, _logger, _options.GracefulStopTimeout);
    }

    private RunningStep NotRun(StepInvocation step, StepResult result)
    {
        SupervisionLog.StepNotRun(_logger, step.ScriptName, result.Description);
        try
        {
            _logs.For(step.ComponentName).Write("ERROR", "lifecycle", step.ComponentName, "shell-runner-error", result.Description,
                new Dictionary<string, string> { ["scriptName"] = step.ScriptName });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The component's log itself is unusable (e.g. an invalid component name); the nucleus log has it.
        }

        return RunningStep.Completed(step, result);
    }

    private static void Validate(StepInvocation step)
    {
        try
        {
            NucleusPaths.SafeSegment(step.ComponentName);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"componentName: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(step.Script))
        {
            throw new FormatException($"{step.ScriptName}: the script is empty.");
        }

        if (step.Timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new FormatException($"{step.ScriptName}: Timeout must be a positive number of seconds, got {t.TotalSeconds.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>
    /// Who owns the work folder (the runWith user) and who the process runs as (null = the nucleus' own user).
    /// A root nucleus switches to the runWith user unless the step requires privilege; a non-root nucleus
    /// cannot switch users, so it runs everything as itself and refuses a different explicit user.
    /// </summary>
    private (PosixIdentity? Owner, PosixIdentity? RunAs) ChooseIdentity(StepInvocation step)
    {
        var requested = step.RunWith?.PosixUser ?? _options.DefaultPosixUser;
        if (!_self.IsRoot)
        {
            if (step.RequiresPrivilege)
            {
                SupervisionLog.PrivilegeUnavailable(_logger, step.ScriptName, _self.UserName);
            }

            if (step.RunWith?.PosixUser is { } explicitUser && PosixIdentity.Resolve(explicitUser).Uid != _self.Uid)
            {
                throw new FormatException($"runWith.posixUser '{explicitUser}': the nucleus runs as {_self.UserName}, not root, and cannot switch users.");
            }

            return (null, null);
        }

        if (requested is null)
        {
            throw new FormatException("runWith.posixUser is not set and the nucleus has no runWithDefault.posixUser; a root nucleus does not run components as root by default.");
        }

        var user = PosixIdentity.Resolve(requested);
        return (user, step.RequiresPrivilege || user.IsRoot ? null : user);
    }

    private static void EnsureWorkDirectory(string workDirectory, PosixIdentity? owner)
    {
        try
        {
            Directory.CreateDirectory(workDirectory);
            if (owner is not null && PosixNative.Chown(workDirectory, owner.Uid, owner.Gid) != 0)
            {
                throw new StepStartException($"cannot give {workDirectory} to {owner.UserName}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StepStartException($"cannot create the work folder {workDirectory}: {ex.Message}");
        }
    }

    private (string Program, List<string> Argv) BuildCommand(string script, IReadOnlyDictionary<string, string> environment, PosixIdentity? runAs, bool gated)
    {
        var shell = Which(_options.PosixShell, environment)
            ?? throw new StepStartException($"posixShell '{_options.PosixShell}' was not found on PATH");

        // Gated: the shell waits for one line on stdin (sent once it sits in its cgroup), then becomes the step's shell.
        List<string> argv = gated
            ? [shell, "-c", "read -r _; exec \"$0\" -c \"$1\"", shell, script]
            : [shell, "-c", script];
        if (runAs is null)
        {
            return (shell, argv);
        }

        var setpriv = Which("setpriv", _inherited)
            ?? throw new StepStartException($"running as {runAs.UserName} needs setpriv (util-linux), which was not found on PATH");
        var groups = uint.TryParse(runAs.UserName, out _) ? "--clear-groups" : "--init-groups";
        return (setpriv, [setpriv, $"--reuid={runAs.Uid}", $"--regid={runAs.Gid}", groups, "--", .. argv]);
    }

    private static void ReleaseGate(SpawnedProcess process)
    {
        using var gate = new FileStream(process.Gate!, FileAccess.Write, 1);
        try
        {
            gate.Write("\n"u8);
        }
        catch (IOException)
        {
            // The shell already died (e.g. killed before reading); its exit status tells the story.
        }
    }

    private static string? Which(string program, IReadOnlyDictionary<string, string> environment)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? program : null;
        }

        var path = environment.TryGetValue("PATH", out var p) && p.Length > 0 ? p : "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }

    public void Dispose() => _logs.Dispose();
}
