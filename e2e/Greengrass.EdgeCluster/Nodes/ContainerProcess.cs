using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>One container's state across restarts: its current process and what Kubernetes reports about it.</summary>
internal sealed partial class ContainerProcess(JsonObject spec)
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    public JsonObject Spec { get; } = spec;
    public string Name => (string)Spec["name"]!;
    public Process? Process { get; private set; }
    public int RestartCount { get; set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public JsonObject? LastTerminated { get; set; }
    public JsonObject? Terminated { get; private set; }
    public string? WaitingReason { get; set; }
    public string? WaitingMessage { get; set; }
    public DateTimeOffset? RestartDue { get; set; }
    public bool Running => Process is not null && Terminated is null;

    public void Start(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string workDir, string logFile, DateTimeOffset now, Action exited)
    {
        // setsid makes the container its own session and process group (pgid = the pid we hold), so stopping it reaches
        // every process it started, as the end of a container's PID namespace does; sh then execs the program with its
        // output appended to the log file: the pid we hold is the program's own.
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = workDir };
        info.ArgumentList.Add("/bin/sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$@\" >>\"$EDGECLUSTER_LOG_FILE\" 2>&1");
        info.ArgumentList.Add("sh");
        foreach (var arg in argv)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }
        info.Environment["EDGECLUSTER_LOG_FILE"] = logFile;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Exited += (_, _) => exited();
        process.Start();
        Process = process;
        StartedAt = now;
        Terminated = null;
        WaitingReason = null;
        WaitingMessage = null;
    }

    /// <summary>Records the exit of the current process; returns its exit code.</summary>
    public int RecordExit(DateTimeOffset now)
    {
        var code = Process!.ExitCode;
        Terminated = new JsonObject
        {
            ["exitCode"] = code,
            ["reason"] = code == 0 ? "Completed" : "Error",
            ["startedAt"] = Store.Meta.Timestamp(StartedAt ?? now),
            ["finishedAt"] = Store.Meta.Timestamp(now),
            ["containerID"] = $"process://{Process.Id}",
        };
        Process.Dispose();
        Process = null;
        return code;
    }

    /// <summary>SIGTERM to the container's process group: the program and every process it started in the group.</summary>
    public void SignalTerm()
    {
        if (Process is { HasExited: false } p)
        {
            _ = Kill(-p.Id, SigTerm);
        }
    }

    /// <summary>
    /// SIGKILL to the container's process group, then to the program's remaining descendants (those that made groups of
    /// their own). A process group outlives its leader, so the group is signalled even when the program has exited.
    /// </summary>
    public void KillTree()
    {
        try
        {
            if (Process is { } p)
            {
                _ = Kill(-p.Id, SigKill);
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    public JsonObject Status(string image)
    {
        JsonObject state;
        if (Running)
        {
            state = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Store.Meta.Timestamp(StartedAt!.Value) } };
        }
        else if (Terminated is not null && WaitingReason is null)
        {
            state = new JsonObject { ["terminated"] = Terminated.DeepClone() };
        }
        else
        {
            var waiting = new JsonObject { ["reason"] = WaitingReason ?? "ContainerCreating" };
            if (WaitingMessage is not null)
            {
                waiting["message"] = WaitingMessage;
            }
            state = new JsonObject { ["waiting"] = waiting };
        }
        var status = new JsonObject
        {
            ["name"] = Name,
            ["state"] = state,
            ["lastState"] = LastTerminated is null ? new JsonObject() : new JsonObject { ["terminated"] = LastTerminated.DeepClone() },
            ["ready"] = Running,
            ["restartCount"] = RestartCount,
            ["image"] = image,
            ["imageID"] = "",
            ["started"] = Running,
        };
        if (Running)
        {
            status["containerID"] = $"process://{Process!.Id}";
        }
        return status;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
