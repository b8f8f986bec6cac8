using System.Diagnostics;
using System.Runtime.InteropServices;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// <c>run --supervise</c>: the loader of a nucleus without Kubernetes. It runs <c>greengrass-nucleus run</c> (the same
/// arguments, without the flag) as a child and starts it again when it exits with 100 ("restart me": a deployment
/// ran its Bootstrap steps or changed a plugin) or 101 (a reboot request, treated as a restart). A crash (any other
/// non-zero code) is retried after a growing pause, up to <see cref="MaxConsecutiveFailures"/> in a row; the
/// nucleus itself rolls a deployment back once it started too often without bringing it up. Exit 0 (a clean stop)
/// ends the supervisor with 0. SIGTERM and SIGINT are passed on to the child.
/// </summary>
internal static class StandaloneSupervisor
{
    public const int MaxConsecutiveFailures = 5;

    public static async Task<int> RunAsync(IReadOnlyList<string> runArguments, TextWriter error)
    {
        var child = (Process?)null;
        var stopping = false;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping = true;
            if (child is { HasExited: false } running)
            {
                // The child may have just exited: then there is nobody left to stop, and the loop sees its code.
                _ = PosixNative.Kill(running.Id, context.Signal == PosixSignal.SIGINT ? 2 : 15);
            }
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        var failures = 0;
        while (true)
        {
            using (child = Process.Start(StartInfo(runArguments)) ?? throw new InvalidOperationException("the nucleus could not be started"))
            {
                await child.WaitForExitAsync();
                var code = child.ExitCode;
                if (stopping || code == 0)
                {
                    return code;
                }

                if (code is Core.Deployment.RestartFlow.RestartExitCode or Core.Deployment.RestartFlow.RebootExitCode)
                {
                    failures = 0;
                    await error.WriteLineAsync($"greengrass-nucleus exited with {code}: restarting it");
                    continue;
                }

                if (++failures >= MaxConsecutiveFailures)
                {
                    await error.WriteLineAsync($"greengrass-nucleus exited with {code} {failures} times in a row: giving up");
                    return code;
                }

                await error.WriteLineAsync($"greengrass-nucleus exited with {code}: restarting it in {failures} s");
                await Task.Delay(TimeSpan.FromSeconds(failures));
            }
        }
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> runArguments)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");
        var info = new ProcessStartInfo(executable) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            // Started as `dotnet greengrass-nucleus.dll`: the child needs the assembly too.
            info.ArgumentList.Add(typeof(StandaloneSupervisor).Assembly.Location);
        }

        info.ArgumentList.Add("run");
        foreach (var argument in runArguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
