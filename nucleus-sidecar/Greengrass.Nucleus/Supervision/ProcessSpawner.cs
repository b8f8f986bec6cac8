using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Greengrass.Nucleus.Supervision;

/// <summary>A child spawned by <see cref="ProcessSpawner"/>: its pid (also its process group id) and pipe ends.</summary>
internal sealed record SpawnedProcess(int Pid, SafeFileHandle Stdout, SafeFileHandle Stderr, SafeFileHandle? Gate);

/// <summary>
/// Spawns a program with posix_spawn: new process group (pgid = pid) so the whole tree can be signalled,
/// default signal dispositions and an empty signal mask (the runtime ignores SIGPIPE, which a child must not
/// inherit), a working directory, stdout/stderr on pipes, and stdin on a "gate" pipe or /dev/null.
/// </summary>
internal static class ProcessSpawner
{
    private const int ActionsSize = 256;
    private const int AttrSize = 512;
    private const int SigSetSize = 128;

    /// <exception cref="StepStartException">posix_spawn failed; the message carries the errno text.</exception>
    public static SpawnedProcess Spawn(string program, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment, string workingDirectory, bool withGate)
    {
        var stdout = CreatePipe();
        var stderr = CreatePipe();
        var stdin = withGate ? CreatePipe() : OpenDevNull();
        var allocations = new List<IntPtr>();
        var actions = Alloc(ActionsSize, allocations);
        var attr = Alloc(AttrSize, allocations);
        try
        {
            Check(PosixNative.FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(PosixNative.AttrInit(attr), "posix_spawnattr_init");
            Check(PosixNative.FileActionsAddDup2(actions, stdin.Read, 0), "adddup2 stdin");
            Check(PosixNative.FileActionsAddDup2(actions, stdout.Write, 1), "adddup2 stdout");
            Check(PosixNative.FileActionsAddDup2(actions, stderr.Write, 2), "adddup2 stderr");
            Check(PosixNative.FileActionsAddChdir(actions, Utf8(workingDirectory, allocations)), "addchdir");
            ConfigureAttributes(attr, allocations);

            var envp = environment.Select(kv => kv.Key + "=" + kv.Value).ToList();
            var error = PosixNative.PosixSpawn(
                out var pid, Utf8(program, allocations), actions, attr,
                StringArray(argv, allocations), StringArray(envp, allocations));
            if (error != 0)
            {
                throw new StepStartException($"cannot start '{program}': {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
            }

            return new SpawnedProcess(
                pid,
                new SafeFileHandle(stdout.Read, ownsHandle: true),
                new SafeFileHandle(stderr.Read, ownsHandle: true),
                withGate ? new SafeFileHandle(stdin.Write, ownsHandle: true) : null);
        }
        catch
        {
            _ = PosixNative.Close(stdout.Read);
            _ = PosixNative.Close(stderr.Read);
            if (withGate)
            {
                _ = PosixNative.Close(stdin.Write);
            }

            throw;
        }
        finally
        {
            // The child has its own copies; the parent keeps only the read ends (and the gate's write end).
            _ = PosixNative.Close(stdout.Write);
            _ = PosixNative.Close(stderr.Write);
            _ = PosixNative.Close(stdin.Read);
            _ = PosixNative.FileActionsDestroy(actions);
            _ = PosixNative.AttrDestroy(attr);
            allocations.ForEach(Marshal.FreeHGlobal);
        }
    }

    private static void ConfigureAttributes(IntPtr attr, List<IntPtr> allocations)
    {
        var empty = Alloc(SigSetSize, allocations);
        var all = Alloc(SigSetSize, allocations);
        _ = PosixNative.SigEmptySet(empty);
        _ = PosixNative.SigFillSet(all);
        Check(PosixNative.AttrSetSignalMask(attr, empty), "setsigmask");
        Check(PosixNative.AttrSetSignalDefault(attr, all), "setsigdefault");
        Check(PosixNative.AttrSetProcessGroup(attr, 0), "setpgroup");
        Check(PosixNative.AttrSetFlags(attr, PosixNative.POSIX_SPAWN_SETPGROUP | PosixNative.POSIX_SPAWN_SETSIGDEF | PosixNative.POSIX_SPAWN_SETSIGMASK), "setflags");
    }

    private static (int Read, int Write) CreatePipe()
    {
        var fds = new int[2];
        if (PosixNative.Pipe2(fds, PosixNative.O_CLOEXEC) != 0)
        {
            throw new StepStartException($"cannot create a pipe: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return (fds[0], fds[1]);
    }

    private static (int Read, int Write) OpenDevNull()
    {
        // A pipe whose write end is closed right away reads as end-of-file, like /dev/null.
        var pipe = CreatePipe();
        _ = PosixNative.Close(pipe.Write);
        return (pipe.Read, -1);
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new StepStartException($"{what} failed: {Marshal.GetPInvokeErrorMessage(result)}");
        }
    }

    private static IntPtr Alloc(int size, List<IntPtr> allocations)
    {
        var ptr = Marshal.AllocHGlobal(size);
        allocations.Add(ptr);
        Marshal.Copy(new byte[size], 0, ptr, size);

        return ptr;
    }

    private static IntPtr Utf8(string value, List<IntPtr> allocations)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value + "\0");
        var ptr = Marshal.AllocHGlobal(bytes.Length);
        allocations.Add(ptr);
        Marshal.Copy(bytes, 0, ptr, bytes.Length);
        return ptr;
    }

    private static IntPtr StringArray(IReadOnlyList<string> values, List<IntPtr> allocations)
    {
        var array = Alloc(IntPtr.Size * (values.Count + 1), allocations);
        for (var i = 0; i < values.Count; i++)
        {
            Marshal.WriteIntPtr(array, i * IntPtr.Size, Utf8(values[i], allocations));
        }

        Marshal.WriteIntPtr(array, values.Count * IntPtr.Size, IntPtr.Zero);
        return array;
    }
}
