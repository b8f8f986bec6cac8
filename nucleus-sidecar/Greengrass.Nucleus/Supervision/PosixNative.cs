using System.Runtime.InteropServices;

namespace Greengrass.Nucleus.Supervision;

/// <summary>
/// The libc calls the supervisor needs and .NET does not expose: spawning into a new process group with a
/// chosen working directory, waiting for the raw wait status (to tell an exit code from a signal), signalling
/// a whole process group, and user/group look-ups. All signatures are blittable.
/// </summary>
internal static partial class PosixNative
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int ESRCH = 3;
    public const int ECHILD = 10;
    public const int EINTR = 4;
    public const int WNOHANG = 1;
    public const int POSIX_SPAWN_SETPGROUP = 0x02;
    public const int POSIX_SPAWN_SETSIGDEF = 0x04;
    public const int POSIX_SPAWN_SETSIGMASK = 0x08;
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    private const int PR_SET_CHILD_SUBREAPER = 36;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static extern int WaitPid(int pid, out int status, int options);

    [DllImport("libc", EntryPoint = "geteuid")]
    public static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    public static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static extern int Pipe2([Out] int[] fds, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc", EntryPoint = "posix_spawn", SetLastError = true)]
    public static extern int PosixSpawn(out int pid, IntPtr path, IntPtr fileActions, IntPtr attr, IntPtr argv, IntPtr envp);

    [DllImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    public static extern int FileActionsInit(IntPtr actions);

    [DllImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    public static extern int FileActionsDestroy(IntPtr actions);

    [DllImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static extern int FileActionsAddDup2(IntPtr actions, int fd, int newFd);

    [DllImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static extern int FileActionsAddChdir(IntPtr actions, IntPtr path);

    [DllImport("libc", EntryPoint = "posix_spawnattr_init")]
    public static extern int AttrInit(IntPtr attr);

    [DllImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    public static extern int AttrDestroy(IntPtr attr);

    [DllImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    public static extern int AttrSetFlags(IntPtr attr, short flags);

    [DllImport("libc", EntryPoint = "posix_spawnattr_setpgroup")]
    public static extern int AttrSetProcessGroup(IntPtr attr, int pgroup);

    [DllImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    public static extern int AttrSetSignalMask(IntPtr attr, IntPtr sigset);

    [DllImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    public static extern int AttrSetSignalDefault(IntPtr attr, IntPtr sigset);

    [DllImport("libc", EntryPoint = "sigemptyset")]
    public static extern int SigEmptySet(IntPtr set);

    [DllImport("libc", EntryPoint = "sigfillset")]
    public static extern int SigFillSet(IntPtr set);

    [DllImport("libc", EntryPoint = "getpwnam")]
    public static extern IntPtr GetPasswordByName([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "getpwuid")]
    public static extern IntPtr GetPasswordByUid(uint uid);

    [DllImport("libc", EntryPoint = "getgrnam")]
    public static extern IntPtr GetGroupByName([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "getgrgid")]
    public static extern IntPtr GetGroupByGid(uint gid);

    /// <summary>
    /// Makes this process adopt orphaned descendants (a script's backgrounded children whose shell exited),
    /// so they can be reaped instead of lingering as zombies under an init that does not reap.
    /// </summary>
    public static bool TryBecomeSubreaper() =>
        OperatingSystem.IsLinux() && Prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;

    public static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => "signal " + signal,
    };
}
