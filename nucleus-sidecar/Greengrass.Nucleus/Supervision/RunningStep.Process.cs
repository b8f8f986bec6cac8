using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Greengrass.Nucleus.Supervision;

internal sealed partial class RunningStep
{
    private const int StderrTailLines = 10;

    private static int WaitForExit(int pid)
    {
        while (true)
        {
            var result = PosixNative.WaitPid(pid, out var status, 0);
            if (result == pid)
            {
                return status;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != PosixNative.EINTR)
            {
                throw new InvalidOperationException($"waitpid({pid}) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    private async Task<StepResult> CompleteAsync(Task<int> wait, Task pumps)
    {
        var status = await wait;

        // Backgrounded children may keep the pipes open; do not let them hold the step's result hostage.
        await Task.WhenAny(pumps, Task.Delay(OutputDrainLimit, _time));
        StepResult result;
        lock (_gate)
        {
            result = StepResult.FromWaitStatus(status, _cause, _step.Timeout, [.. _stderrTail]);
        }

        SupervisionLog.StepEnded(_logger, _step.ScriptName, result.Description);
        _log?.Write(result.Succeeded ? "INFO" : "WARN", "lifecycle", _step.ComponentName, "shell-runner-end", result.Description, Context());
        return result;
    }

    private Task Pump(SafeFileHandle handle, bool isError) =>
        Task.Factory.StartNew(() => PumpLines(handle, isError), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void PumpLines(SafeFileHandle handle, bool isError)
    {
        using var stream = new FileStream(handle, FileAccess.Read, 1);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (isError)
            {
                lock (_gate)
                {
                    _stderrTail.Enqueue(line);
                    if (_stderrTail.Count > StderrTailLines)
                    {
                        _stderrTail.Dequeue();
                    }
                }
            }

            _log?.Write(isError ? "WARN" : "INFO", "Copier", _step.ComponentName, isError ? "stderr" : "stdout", line, Context());
        }
    }

    private Dictionary<string, string> Context() => new(StringComparer.Ordinal)
    {
        ["scriptName"] = _step.ScriptName,
        ["serviceName"] = _step.ComponentName,
    };
}
