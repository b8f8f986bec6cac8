namespace Greengrass.Nucleus.Supervision;

internal enum StepOutcome
{
    /// <summary>The script exited on its own; see <see cref="StepResult.ExitCode"/>.</summary>
    Exited,

    /// <summary>The script died of a signal nobody in the nucleus sent (OOM killer, an operator's kill).</summary>
    Signaled,

    /// <summary>The step's Timeout elapsed and the process tree was killed.</summary>
    TimedOut,

    /// <summary>The nucleus stopped it (<see cref="RunningStep.StopAsync"/>).</summary>
    Stopped,

    /// <summary>Skipif matched; nothing ran.</summary>
    Skipped,

    /// <summary>The step's settings are not valid (Skipif syntax, runWith user, …): <c>*_CONFIG_NOT_VALID</c>.</summary>
    ConfigurationInvalid,

    /// <summary>The process could not be spawned (working directory, shell missing, …).</summary>
    FailedToStart,
}

/// <summary>How a step ended, precisely: an exit code or a signal, plus a sentence fit for status and logs.</summary>
internal sealed record StepResult(StepOutcome Outcome, int? ExitCode, int? Signal, string Description, IReadOnlyList<string> StderrTail)
{
    /// <summary>Exit 0, or skipped.</summary>
    public bool Succeeded => (Outcome == StepOutcome.Exited && ExitCode == 0) || Outcome == StepOutcome.Skipped;

    public static StepResult Skipped(string reason) => new(StepOutcome.Skipped, null, null, reason, []);

    public static StepResult Invalid(string reason) => new(StepOutcome.ConfigurationInvalid, null, null, reason, []);

    public static StepResult NotStarted(string reason) => new(StepOutcome.FailedToStart, null, null, reason, []);

    /// <summary>Decodes a raw waitpid status word into an exit code or a terminating signal.</summary>
    public static StepResult FromWaitStatus(int status, StepOutcome? cause, TimeSpan? timeout, IReadOnlyList<string> stderrTail)
    {
        var signal = status & 0x7f;
        if (signal == 0)
        {
            var code = (status >> 8) & 0xff;
            var outcome = cause ?? StepOutcome.Exited;
            return new(outcome, code, null, Describe(outcome, $"exited with code {code}{Hint(code)}", timeout), stderrTail);
        }

        var how = $"was killed by {PosixNative.SignalName(signal)}";
        var killedOutcome = cause ?? StepOutcome.Signaled;
        return new(killedOutcome, null, signal, Describe(killedOutcome, how, timeout), stderrTail);
    }

    private static string Describe(StepOutcome outcome, string how, TimeSpan? timeout) => outcome switch
    {
        StepOutcome.TimedOut => $"timed out after {timeout?.TotalSeconds:0.###} s and {how}",
        StepOutcome.Stopped => $"stopped by the nucleus; the process {how}",
        _ => $"the process {how}",
    };

    // sh's conventions for a command that could not be run.
    private static string Hint(int code) => code switch
    {
        127 => " (command not found)",
        126 => " (command not executable)",
        _ => "",
    };
}
