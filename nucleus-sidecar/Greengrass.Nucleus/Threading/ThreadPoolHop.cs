using System.Runtime.CompilerServices;

namespace Greengrass.Nucleus.Threading;

/// <summary>
/// <c>await ThreadPoolHop.Ensure()</c> moves the rest of an async method onto the thread pool when it runs on any
/// other thread, and costs nothing on a thread-pool thread. The nucleus runs with inline socket completions
/// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>): code after a socket await then runs on a socket engine
/// thread, and a blocking call there (fsync, synchronous file I/O, starting a process) would stall every socket the
/// engine serves. Code that may block awaits this right after its socket await (see docs/benchmarks.md for the audit).
/// </summary>
internal readonly struct ThreadPoolHop : ICriticalNotifyCompletion
{
    public static ThreadPoolHop Ensure() => default;

    public ThreadPoolHop GetAwaiter() => this;

    public bool IsCompleted => Thread.CurrentThread.IsThreadPoolThread;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) =>
        ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

    public void UnsafeOnCompleted(Action continuation) =>
        ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
}
