using System.Diagnostics;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>
/// Keeps a long controller pass from holding a thread-pool thread: once the pass has run for a slice, it goes to the
/// back of the thread pool's queue, so the API requests and watch streams queued meanwhile are served first. In a real
/// cluster the scheduler and the kubelets are other processes, on other machines, that the API server never waits
/// behind; here they share the server's two or so pool threads, and a pass binding a burst of several hundred pods
/// held one of them for 10 ms and more while requests queued.
/// </summary>
internal sealed class TimeSlice
{
    /// <summary>How long a pass runs before it gives way.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromMilliseconds(1);

    private long _start = Stopwatch.GetTimestamp();

    /// <summary>Gives way when the slice is used up; costs one timestamp otherwise.</summary>
    public async ValueTask YieldIfUsedUpAsync()
    {
        if (Stopwatch.GetElapsedTime(_start) >= Length)
        {
            await Task.Yield();
            _start = Stopwatch.GetTimestamp();
        }
    }
}
